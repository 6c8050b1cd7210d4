import { verifyAudit } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { startCounter } from './counter.js';
import { spawnWorker } from './processes.js';
import { httpChain, seed, startEngine } from './support.js';

const RUNS = 40;
const STEPS = 5;

describe('scale-out', () => {
  test('two worker processes on one database: every step executed by exactly one of them', async ({ db }) => {
    const s = await seed(db, httpChain(STEPS));
    const counter = await startCounter();
    const starter = await startEngine(db, [], { workers: false });
    const env = {
      DATABASE_URL: db.url,
      COUNTER_URL: counter.url,
      LEASE_MS: '10000',
      CONCURRENCY: '6',
      STEP_DELAY_MS: '20',
    };
    const workers = [spawnWorker({ ...env, WORKER_ID: 'a' }), spawnWorker({ ...env, WORKER_ID: 'b' })];
    try {
      await Promise.all(workers.map((w) => w.ready));
      const runs = await Promise.all(
        Array.from({ length: RUNS }, (_, i) =>
          starter.engine.startRun({ workflowVersionId: s.versionId, input: { n: i } }),
        ),
      );
      const results = await Promise.all(
        runs.map((r) => starter.engine.waitForRun(r.runId, { timeoutMs: 60_000 })),
      );
      expect(results.every((r) => r.status === 'succeeded')).toBe(true);
      expect(counter.requests.size).toBe(RUNS * STEPS);
      expect([...counter.requests.values()].every((n) => n === 1)).toBe(true);
      expect([...counter.workers.values()].every((w) => w.size === 1)).toBe(true);
      const byWorker = new Map<string, number>();
      for (const set of counter.workers.values())
        for (const w of set) byWorker.set(w, (byWorker.get(w) ?? 0) + 1);
      // Both took part (they share the ready steps through SKIP LOCKED claims).
      expect([...byWorker.keys()].sort()).toEqual(['a', 'b']);
      expect((await verifyAudit(db.url)).breaks).toEqual([]);
    } finally {
      await Promise.all(workers.map((w) => w.kill('SIGTERM')));
      await starter.close();
      await counter.close();
    }
  }, 90_000);
});
