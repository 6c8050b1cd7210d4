import { verifyAudit } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { idempotencyKey } from '../src/index.js';
import { startCounter } from './counter.js';
import { spawnWorker, type WorkerProcess } from './processes.js';
import { httpChain, seed, sleep, startEngine } from './support.js';

const RUNS = 50;
const STEPS = 10;
const KILLS = 10;

describe('crash recovery', () => {
  test(`${RUNS} runs of ${STEPS} external steps survive ${KILLS} SIGKILLs of their worker, each effect applied once`, async ({
    db,
  }) => {
    const s = await seed(db, httpChain(STEPS));
    const counter = await startCounter();
    const starter = await startEngine(db, [], { workers: false });
    const env = {
      DATABASE_URL: db.url,
      COUNTER_URL: counter.url,
      LEASE_MS: '1500',
      CONCURRENCY: '4',
      STEP_DELAY_MS: '120',
    };
    let worker: WorkerProcess | undefined;
    let kills = 0;
    try {
      const runs = await Promise.all(
        Array.from({ length: RUNS }, (_, i) =>
          starter.engine.startRun({ workflowVersionId: s.versionId, input: { n: i } }),
        ),
      );
      const done = Promise.all(runs.map((r) => starter.engine.waitForRun(r.runId, { timeoutMs: 120_000 })));
      let finished = false;
      void done.finally(() => (finished = true));
      for (let generation = 0; ; generation++) {
        worker = spawnWorker({ ...env, WORKER_ID: `w${generation}` });
        await worker.ready;
        if (kills >= KILLS || finished) break;
        // Somewhere in the middle of whatever it is doing: a call, a commit, a claim.
        await sleep(300 + Math.random() * 900);
        if (finished) break;
        await worker.kill('SIGKILL');
        kills++;
      }
      const results = await done;
      expect(kills).toBeGreaterThanOrEqual(KILLS);
      expect(results.every((r) => r.status === 'succeeded')).toBe(true);

      // No step recorded complete twice.
      const completions = await db.prisma.$queryRawUnsafe<Array<{ node: string; n: bigint }>>(
        `SELECT run_id || ':' || (payload->>'nodeId') AS node, count(*) AS n FROM events
            WHERE type = 'step.succeeded' AND workspace_id = $1 GROUP BY 1`,
        s.workspaceId,
      );
      expect(completions).toHaveLength(RUNS * STEPS);
      expect(completions.filter((c) => Number(c.n) !== 1)).toEqual([]);

      // Every step's effect applied exactly once, under the key of attempt 1 (a lost lease does not
      // count as a new attempt, so the repeat after a crash carries the same key).
      expect(counter.effects.size).toBe(RUNS * STEPS);
      expect([...counter.effects.values()].every((n) => n === 1)).toBe(true);
      for (const run of runs) {
        for (let i = 1; i <= STEPS; i++) {
          const keys = counter.keys.get(`${run.runId}:call${i}`);
          expect(keys).toEqual(new Set([idempotencyKey(run.runId, `call${i}`, 1)]));
        }
      }
      const repeats = [...counter.requests.values()].filter((n) => n > 1).length;
      console.info(`crash test: ${kills} kills, ${repeats} calls repeated after a crash (deduplicated)`);

      expect((await verifyAudit(db.url)).breaks).toEqual([]);
    } finally {
      await worker?.kill('SIGKILL');
      await starter.close();
      await counter.close();
    }
  }, 120_000);
});
