// Stall detection against a real worker process: frozen with SIGSTOP mid-step, it is flagged within
// its heartbeat window + 10 s and the alert resolves when it thaws; a soak of normal runs raises no
// stall alert (SLUICE_MONITOR_SOAK_MS sets the soak's length, default 30 s; the full soak
// is 10 minutes: SLUICE_MONITOR_SOAK_MS=600000).
import { createEngine, type Engine } from '@sluice/engine';
import { serverExecutors } from '@sluice/nodes/server';
import { describe, expect } from 'vitest';
import { openPgStore, type PgStore } from '../store/pg-store';
import { test, type TestDatabase } from '../testing';
import { verifyWorkspaceChain } from '../workspace-events';
import { eventually, httpChain, seed, sleep, spawnWorker, type WorkerProcess } from './__fixtures__/support';
import { startMonitor } from './monitor';

const SOAK_MS = Number(process.env.SLUICE_MONITOR_SOAK_MS ?? 30_000);

/** An engine that starts runs and executes nothing (the worker process does). */
async function starter(
  db: TestDatabase,
): Promise<{ engine: Engine; store: PgStore; close(): Promise<void> }> {
  const store = await openPgStore({ url: db.url });
  const engine = createEngine({ store, executors: serverExecutors, workers: false });
  await engine.start();
  return {
    engine,
    store,
    async close() {
      await engine.stop({ graceMs: 1_000 });
      await store.close();
    },
  };
}

describe('stall detection', () => {
  test('a worker frozen mid-step (SIGSTOP) is flagged within its heartbeat window + 10 s, once, and resolved when it thaws', async ({
    db,
  }) => {
    const leaseMs = 1_500;
    const s = await seed(db, httpChain(['slow']));
    const runner = await starter(db);
    const monitor = await startMonitor({
      prisma: db.prisma,
      settings: { intervalMs: 250, settleMs: 0, stall: { leaseGraceMs: 500 } },
    });
    let worker: WorkerProcess | undefined;
    try {
      worker = spawnWorker({ DATABASE_URL: db.url, LEASE_MS: String(leaseMs), STEP_DELAY_MS: '6000' });
      await worker.ready;
      const run = await runner.engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      await eventually('the slow step is running', 20_000, async () =>
        db.prisma.step.findFirst({ where: { runId: run.runId, nodeId: 'slow', status: 'running' } }),
      );
      worker.signal('SIGSTOP');

      const alert = await eventually('a stall.lease alert', leaseMs + 10_000, () =>
        db.prisma.alert.findFirst({ where: { workspaceId: s.workspaceId, kind: 'stall.lease' } }),
      );
      expect(alert).toMatchObject({
        runId: run.runId,
        nodeId: 'slow',
        severity: 'critical',
        resolvedAt: null,
      });
      expect(alert.dedupeKey).toBe(`stall.lease:${run.runId}:slow:1`);
      expect(alert.message).toContain('stopped renewing its lease');

      // Several more ticks while it stays frozen: still one alert, not a flood.
      for (let i = 0; i < 4; i++) await monitor.tick();
      expect(
        await db.prisma.alert.count({ where: { workspaceId: s.workspaceId, kind: 'stall.lease' } }),
      ).toBe(1);

      worker.signal('SIGCONT');
      const done = await runner.engine.waitForRun(run.runId, { timeoutMs: 30_000 });
      expect(done.status).toBe('succeeded');
      await eventually('the alert is resolved', 10_000, async () =>
        (await db.prisma.alert.findUniqueOrThrow({ where: { id: alert.id } })).resolvedAt ? true : null,
      );
      expect(
        await db.prisma.alert.count({ where: { workspaceId: s.workspaceId, kind: 'stall.lease' } }),
      ).toBe(1);

      // Both changes are in the workspace's audit chain, which still verifies.
      const audit = await db.prisma.event.findMany({
        where: { workspaceId: s.workspaceId, runId: null, type: { in: ['alert.raised', 'alert.resolved'] } },
        orderBy: { seq: 'asc' },
      });
      expect(audit.map((e) => e.type)).toEqual(['alert.raised', 'alert.resolved']);
      expect(audit.every((e) => (e.payload as { alertId?: string }).alertId === alert.id)).toBe(true);
      expect((await verifyWorkspaceChain(db.prisma, s.workspaceId)).ok).toBe(true);
    } finally {
      await worker?.kill();
      await monitor.stop();
      await runner.close();
    }
  }, 90_000);

  test(
    `a soak of normal runs (${Math.round(SOAK_MS / 1000)} s) raises no stall alert`,
    async ({ db }) => {
      const s = await seed(db, httpChain(['a', 'b', 'c']));
      const runner = await starter(db);
      const monitor = await startMonitor({ prisma: db.prisma, settings: { intervalMs: 500, settleMs: 500 } });
      let worker: WorkerProcess | undefined;
      try {
        worker = spawnWorker({
          DATABASE_URL: db.url,
          LEASE_MS: '4000',
          CONCURRENCY: '4',
          STEP_DELAY_MS: '50',
          STEP_JITTER_MS: '250',
        });
        await worker.ready;
        const until = Date.now() + SOAK_MS;
        let finished = 0;
        // Four runs in flight at a time until the soak ends.
        await Promise.all(
          Array.from({ length: 4 }, async (_, lane) => {
            for (let n = 0; Date.now() < until; n++) {
              const run = await runner.engine.startRun({
                workflowVersionId: s.versionId,
                input: { n: lane * 1e6 + n },
              });
              const done = await runner.engine.waitForRun(run.runId, { timeoutMs: 60_000 });
              expect(done.status).toBe('succeeded');
              finished++;
            }
          }),
        );
        await monitor.tick();
        await sleep(600);
        await monitor.tick();
        expect(finished).toBeGreaterThan(0);
        const stalls = await db.prisma.alert.findMany({
          where: { workspaceId: s.workspaceId, kind: { startsWith: 'stall.' } },
        });
        expect(stalls).toEqual([]);
      } finally {
        await worker?.kill();
        await monitor.stop();
        await runner.close();
      }
    },
    SOAK_MS + 90_000,
  );
});
