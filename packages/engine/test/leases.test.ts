import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { flow, httpConfig, scripted, seed, sleep, startEngine } from './support.js';

describe('leases', () => {
  test('a step that runs longer than its lease keeps it through heartbeats and runs once', async ({ db }) => {
    const s = await seed(db, flow().http('long', httpConfig).output('done', {}));
    let executions = 0;
    const { engine, store, close } = await startEngine(
      db,
      [scripted({ long: async () => (executions++, await sleep(1_500), { output: { done: true } }) })],
      { workers: { concurrency: 2, leaseMs: 400, pollMs: 100 } },
    );
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      expect(await engine.waitForRun(run.runId, { timeoutMs: 10_000 })).toMatchObject({
        status: 'succeeded',
      });
      expect(executions).toBe(1);
      const types = (await store.readEvents(run.runId, 0)).map((e) => e.type);
      expect(types).not.toContain('step.lease_expired');
      expect(types.filter((t) => t === 'step.started')).toHaveLength(1);
    } finally {
      await close();
    }
  });

  test("a dead worker's step returns to ready with the same attempt and runs again", async ({ db }) => {
    const s = await seed(db, flow().http('call', httpConfig).output('done', {}));
    const starter = await startEngine(db, [], { workers: false });
    try {
      const run = await starter.engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      // A worker that claims the step and then is never heard from again.
      const { steps } = await starter.store.claim({ owner: 'ghost', limit: 1, leaseMs: 200 }, (step) => ({
        type: 'step.started',
        payload: { nodeId: step.nodeId, attempt: step.attempt, worker: 'ghost' },
      }));
      expect(steps).toHaveLength(1);
      const keys: string[] = [];
      const worker = await startEngine(
        db,
        [scripted({ call: (ctx) => (keys.push(`${ctx.attempt}:${ctx.idempotencyKey}`), { output: {} }) })],
        { workers: { concurrency: 2, leaseMs: 300, pollMs: 100 } },
      );
      try {
        expect(await starter.engine.waitForRun(run.runId, { timeoutMs: 10_000 })).toMatchObject({
          status: 'succeeded',
        });
      } finally {
        await worker.close();
      }
      expect(keys).toHaveLength(1);
      expect(keys[0]?.startsWith('1:')).toBe(true);
      const events = await starter.store.readEvents(run.runId, 0);
      expect(events.find((e) => e.type === 'step.lease_expired')).toMatchObject({
        payload: { nodeId: 'call', attempt: 1, worker: 'ghost' },
      });
    } finally {
      await starter.close();
    }
  });
});
