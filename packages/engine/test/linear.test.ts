import { test } from '@sluice/db/testing';
import { StepError } from '@sluice/nodes/server';
import { describe, expect } from 'vitest';
import type { Executor } from '../src/index.js';
import { flow, seed, startEngine } from './support.js';

const plusOne = { mapping: { n: 'input.n + 1' } };

/**
 * A pure transform that adds one, answering per node: `later*` with a promise, `boom` by throwing,
 * `reject` with a rejected promise, any other at once.
 */
const mixedTransform: Executor = {
  kind: 'transform',
  pure: true,
  execute(ctx) {
    const n = (ctx.input as { n: number }).n;
    if (ctx.nodeId === 'boom') throw new StepError('EXPRESSION_FAILED', 'boom failed at once');
    if (ctx.nodeId === 'reject')
      return Promise.reject(new StepError('EXPRESSION_FAILED', 'reject failed later'));
    if (ctx.nodeId.startsWith('later'))
      return new Promise((resolve) => setTimeout(() => resolve({ output: { n: n + 1 } }), 5));
    return { output: { n: n + 1 } };
  },
};

describe('a linear run', () => {
  test('runs a chain of transforms to its output in one commit', async ({ db }) => {
    const s = await seed(
      db,
      flow()
        .transform('a', { mapping: { n: 'input.n + 1' } })
        .transform('b', { mapping: { n: 'input.n + 1' } })
        .output('done', {}),
    );
    const { engine, store, close } = await startEngine(db);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 0 } });
      expect(run).toMatchObject({ created: true, status: 'succeeded', output: { n: 2 } });
      const steps = await engine.getSteps(run.runId);
      expect(Object.fromEntries(steps.map((st) => [st.nodeId, [st.status, st.output]]))).toEqual({
        trigger: ['succeeded', { n: 0 }],
        a: ['succeeded', { n: 1 }],
        b: ['succeeded', { n: 2 }],
        done: ['succeeded', { n: 2 }],
      });
      const events = await store.readEvents(run.runId, 0);
      expect(events.map((e) => e.type)).toEqual(['run.started', 'steps.settled', 'run.succeeded']);
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    } finally {
      await close();
    }
  });

  test('pure steps that answer at once, with a promise, by throwing or by rejecting', async ({ db }) => {
    const ok = await seed(
      db,
      flow()
        .transform('a', plusOne)
        .transform('later1', plusOne)
        .transform('b', plusOne)
        .transform('later2', plusOne)
        .output('done', {}),
    );
    const failing = (id: string) =>
      seed(db, flow().transform('a', plusOne).transform(id, plusOne).output('done', {}));
    const boom = await failing('boom');
    const reject = await failing('reject');
    const { engine, close } = await startEngine(db, [mixedTransform]);
    try {
      const run = await engine.startRun({ workflowVersionId: ok.versionId, input: { n: 0 } });
      expect(run).toMatchObject({ status: 'succeeded', output: { n: 4 } });
      for (const [s, id, message] of [
        [boom, 'boom', 'boom failed at once'],
        [reject, 'reject', 'reject failed later'],
      ] as const) {
        const failed = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 0 } });
        expect(failed).toMatchObject({
          status: 'failed',
          error: { code: 'EXPRESSION_FAILED', message, nodeId: id },
        });
        const steps = await engine.getSteps(failed.runId);
        expect(Object.fromEntries(steps.map((st) => [st.nodeId, st.status]))).toEqual({
          trigger: 'succeeded',
          a: 'succeeded',
          [id]: 'failed',
          done: 'cancelled',
        });
      }
    } finally {
      await close();
    }
  });
});
