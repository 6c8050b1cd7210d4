import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { flow, httpConfig, scripted, seed, startEngine } from './support.js';

const inc = { mapping: { n: 'input.n + 1' } };

describe('scheduling on PostgreSQL', () => {
  test('fan-out and join: inline transforms, and worker steps joined by a transform', async ({ db }) => {
    const inline = await seed(
      db,
      flow()
        .transform('a', inc, { after: 'trigger' })
        .transform('b', { mapping: { n: 'input.n + 10' } }, { after: 'trigger' })
        .transform('c', { mapping: { n: 'input.n + 100' } }, { after: 'trigger' })
        .from('a', 'b', 'c')
        .transform('join', { mapping: { sum: 'sum(inputs.map(x, x.n))', first: 'input.n' } })
        .output('done', {}),
    );
    const workers = await seed(
      db,
      flow()
        .http('x', httpConfig, { after: 'trigger' })
        .http('y', httpConfig, { after: 'trigger' })
        .from('x', 'y')
        .transform('join', { mapping: { count: 'size(inputs)' } })
        .output('done', {}),
    );
    const calls: string[] = [];
    const { engine, close } = await startEngine(db, [
      scripted({
        x: (ctx) => (calls.push('x'), { output: { from: 'x', n: (ctx.input as { n: number }).n } }),
        y: () => (calls.push('y'), { output: { from: 'y' } }),
      }),
    ]);
    try {
      const first = await engine.startRun({ workflowVersionId: inline.versionId, input: { n: 1 } });
      expect(first).toMatchObject({ status: 'succeeded', output: { sum: 2 + 11 + 101, first: 2 } });

      const second = await engine.startRun({ workflowVersionId: workers.versionId, input: { n: 5 } });
      expect(second.status).toBe('running');
      const done = await engine.waitForRun(second.runId, { timeoutMs: 20_000 });
      expect(done).toMatchObject({ status: 'succeeded', output: { count: 2 } });
      expect(calls.sort()).toEqual(['x', 'y']);
      const steps = await engine.getSteps(second.runId);
      expect(steps.find((s) => s.nodeId === 'join')?.status).toBe('succeeded');
      expect(steps.find((s) => s.nodeId === 'x')?.input).toEqual([{ n: 5 }]);
    } finally {
      await close();
    }
  });

  test('a branch skips the untaken path, the skip propagates, and a join after both runs once', async ({
    db,
  }) => {
    const s = await seed(
      db,
      flow()
        .branch('route', { cases: [{ port: 'big', when: 'input.n > 10' }], defaultPort: 'small' })
        .from('route.big')
        .transform('big1', { mapping: { n: 'input.n * 2' } })
        .transform('big2', inc)
        .from('route.small')
        .transform('small1', { mapping: { n: 'input.n - 1' } })
        .from('big2', 'small1')
        .transform('merge', { mapping: { n: 'input.n', paths: 'size(inputs)' } })
        .output('done', {}),
    );
    const { engine, close } = await startEngine(db);
    try {
      const small = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 3 } });
      expect(small).toMatchObject({ status: 'succeeded', output: { n: 2, paths: 1 } });
      const steps = Object.fromEntries(
        (await engine.getSteps(small.runId)).map((st) => [st.nodeId, st.status]),
      );
      expect(steps).toEqual({
        trigger: 'succeeded',
        route: 'succeeded',
        big1: 'skipped',
        big2: 'skipped',
        small1: 'succeeded',
        merge: 'succeeded',
        done: 'succeeded',
      });
      const big = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 20 } });
      expect(big).toMatchObject({ status: 'succeeded', output: { n: 41, paths: 1 } });
    } finally {
      await close();
    }
  });

  test('a node every path to which is untaken is skipped, down to the end of the run', async ({ db }) => {
    const s = await seed(
      db,
      flow()
        .branch('route', { cases: [{ port: 'yes', when: 'input.n > 0' }], defaultPort: 'no' })
        .from('route.yes')
        .http('call', httpConfig)
        .transform('after', { mapping: { status: 'input.status' } })
        .output('yesOut', {})
        .from('route.no')
        .output('noOut', { mapping: { skipped: 'true' } }),
    );
    const { engine, close } = await startEngine(db, [scripted()]);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 0 } });
      expect(run).toMatchObject({ status: 'succeeded', output: { skipped: true } });
      const steps = Object.fromEntries(
        (await engine.getSteps(run.runId)).map((st) => [st.nodeId, st.status]),
      );
      expect(steps).toMatchObject({
        call: 'skipped',
        after: 'skipped',
        yesOut: 'skipped',
        noOut: 'succeeded',
      });
    } finally {
      await close();
    }
  });
});
