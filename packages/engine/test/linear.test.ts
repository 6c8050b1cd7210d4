import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { flow, seed, startEngine } from './support.js';

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
});
