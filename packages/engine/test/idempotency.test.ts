import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { flow, seed, startEngine } from './support.js';

describe('idempotent start', () => {
  test('100 concurrent starts with one run key, through two engines, make one run', async ({ db }) => {
    const s = await seed(
      db,
      flow()
        .transform('a', { mapping: { n: 'input.n + 1' } })
        .output('done', {}),
    );
    const one = await startEngine(db, [], { workers: false });
    const two = await startEngine(db, [], { workers: false });
    try {
      const starts = Array.from({ length: 100 }, (_, i) =>
        (i % 2 === 0 ? one : two).engine.startRun({
          workflowVersionId: s.versionId,
          input: { n: i },
          runKey: 'order-42',
        }),
      );
      const results = await Promise.all(starts);
      const runIds = new Set(results.map((r) => r.runId));
      expect(runIds.size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const winner = results.find((r) => r.created);
      // Everyone gets the same run, including its result.
      for (const r of results) expect(r).toMatchObject({ status: 'succeeded', output: winner?.output });
      expect(await db.prisma.run.count({ where: { workspaceId: s.workspaceId, runKey: 'order-42' } })).toBe(
        1,
      );
      const [runId] = runIds;
      expect(await one.engine.getSteps(runId ?? '')).toHaveLength(3);
      expect(await db.prisma.stepSet.count({ where: { runId } })).toBe(1);
      expect(await db.prisma.event.count({ where: { runId } })).toBe(3);

      // Later starts with the key still get that run; another key starts another.
      const again = await one.engine.startRun({
        workflowVersionId: s.versionId,
        input: { n: 7 },
        runKey: 'order-42',
      });
      expect(again).toMatchObject({ runId, created: false });
      const other = await two.engine.startRun({
        workflowVersionId: s.versionId,
        input: { n: 7 },
        runKey: 'order-43',
      });
      expect(other.created).toBe(true);
      expect(other.runId).not.toBe(runId);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
