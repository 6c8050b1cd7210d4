// Deviation detection on real runs: a node whose latency and token use jump 10× is flagged on the
// first deviating run after its baseline formed; the jitter of the baseline runs raises nothing.
import { createEngine, type ExecutorContext } from '@sluice/engine';
import { builtinExecutors, executorRegistry } from '@sluice/nodes/server';
import { describe, expect } from 'vitest';
import { openPgStore } from '../store/pg-store';
import { test } from '../testing';
import { httpChain, seed, sleep } from './__fixtures__/support';
import { startMonitor } from './monitor';

describe('deviation detection', () => {
  test('a 10× jump in latency and tokens is flagged on its first run; normal jitter raises none', async ({
    db,
  }) => {
    const s = await seed(db, httpChain(['call']));
    // Latency 250–350 ms and 900–1100 tokens, or ten times that when the input says so.
    const behaviour = async (ctx: ExecutorContext) => {
      const scale = (ctx.input as { n?: number } | null)?.n === -1 ? 10 : 1;
      await sleep(scale * (250 + Math.random() * 100));
      return { output: { ok: true }, tokens: Math.round(scale * (900 + Math.random() * 200)) };
    };
    const store = await openPgStore({ url: db.url });
    const engine = createEngine({
      store,
      executors: executorRegistry([
        ...builtinExecutors.filter((e) => e.kind !== 'http'),
        { kind: 'http', pure: false, execute: behaviour },
      ]),
      workers: { concurrency: 2, leaseMs: 5_000, pollMs: 100 },
    });
    await engine.start();
    const monitor = await startMonitor({ prisma: db.prisma, loop: false, settings: { settleMs: 0 } });
    const deviations = () =>
      db.prisma.alert.findMany({ where: { workspaceId: s.workspaceId, kind: { startsWith: 'deviation.' } } });
    try {
      // One at a time, so the baseline is not measured under a load of its own making.
      for (let n = 0; n < 24; n++) {
        const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n } });
        expect((await engine.waitForRun(run.runId)).status).toBe('succeeded');
        if (n % 6 === 5) await monitor.tick();
      }
      await monitor.tick();
      expect(await deviations()).toEqual([]);

      const jump = await engine.startRun({ workflowVersionId: s.versionId, input: { n: -1 } });
      expect((await engine.waitForRun(jump.runId)).status).toBe('succeeded');
      await monitor.tick();
      const found = await deviations();
      expect(found.map((a) => a.kind).sort()).toEqual(['deviation.duration', 'deviation.tokens']);
      for (const alert of found) {
        expect(alert).toMatchObject({ runId: jump.runId, nodeId: 'call', severity: 'warning' });
        const details = alert.details as { value: number; baseline: { median: number; samples: number } };
        expect(details.value / details.baseline.median).toBeGreaterThan(5);
        expect(details.baseline.samples).toBeGreaterThanOrEqual(20);
        expect(alert.message).toMatch(/baseline median/);
      }

      // Back to normal: nothing new.
      const after = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 100 } });
      await engine.waitForRun(after.runId);
      await monitor.tick();
      expect(await deviations()).toHaveLength(2);
    } finally {
      await monitor.stop();
      await engine.stop({ graceMs: 1_000 });
      await store.close();
    }
  }, 120_000);
});
