// The stall conditions other than a frozen lease, from the rows the engine leaves: a step running
// past its timeout, a review past its expiry warning, a run silent for longer than any step may take.
// Each raises one alert and resolves when its condition clears.
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { test } from '../testing';
import { flow, seed } from './__fixtures__/support';
import { startMonitor } from './monitor';

const http = { method: 'POST' as const, url: 'https://api.example.com/x', allowHosts: ['api.example.com'] };
const ago = (ms: number) => new Date(Date.now() - ms);

describe('stall conditions', () => {
  test('overdue step, review past its warning, silent run: one alert each, resolved once cleared', async ({
    db,
  }) => {
    const s = await seed(db, flow().http('slow', http, { timeoutMs: 1_000 }).output('done', {}));
    const run = (id: string, lastSeq: number) =>
      db.prisma.run.create({
        data: {
          id,
          workspaceId: s.workspaceId,
          workflowVersionId: s.versionId,
          status: 'running',
          input: {},
          lastSeq,
          startedAt: ago(20 * 60_000),
        },
      });
    const event = (runId: string, at: Date) =>
      db.prisma.event.create({
        data: {
          workspaceId: s.workspaceId,
          runId,
          seq: 1,
          type: 'step.ready',
          payload: { nodeId: 'slow', attempt: 1, availableAt: at.toISOString() },
          prevHash: '0'.repeat(64),
          hash: 'd'.repeat(64),
          createdAt: at,
        },
      });
    // Running for 5 s under a live lease, with a 1 s timeout: overdue.
    const overdue = randomUUID();
    await run(overdue, 1);
    await event(overdue, ago(1_000));
    await db.prisma.step.create({
      data: {
        runId: overdue,
        nodeId: 'slow',
        status: 'running',
        attempt: 1,
        leaseOwner: 'w1',
        leaseToken: randomUUID(),
        leaseExpiresAt: new Date(Date.now() + 60_000),
        startedAt: ago(5_000),
      },
    });
    // Nothing recorded for 10 minutes; its longest step may take 5 (the default timeout).
    const silent = randomUUID();
    await run(silent, 1);
    await event(silent, ago(10 * 60_000));
    // A review opened 10 minutes ago that expires in 1: past 80 % of its time.
    const reviewed = randomUUID();
    await db.prisma.wait.create({
      data: {
        runId: reviewed,
        nodeId: 'approve',
        workspaceId: s.workspaceId,
        kind: 'gate',
        attempt: 1,
        payload: {},
        payloadHash: 'e'.repeat(64),
        request: {},
        createdAt: ago(10 * 60_000),
        expiresAt: new Date(Date.now() + 60_000),
      },
    });

    const monitor = await startMonitor({ prisma: db.prisma, loop: false, settings: { settleMs: 0 } });
    const alerts = () =>
      db.prisma.alert.findMany({ where: { workspaceId: s.workspaceId }, orderBy: { kind: 'asc' } });
    try {
      await monitor.tick();
      await monitor.tick();
      expect((await alerts()).map((a) => [a.kind, a.runId, a.resolvedAt])).toEqual([
        ['stall.overdue', overdue, null],
        ['stall.silent', silent, null],
        ['stall.wait', reviewed, null],
      ]);
      const [late] = await alerts();
      expect(late!.details).toMatchObject({ timeoutMs: 1_000, expectedMs: 3_000 });

      await db.prisma.step.update({
        where: { runId_nodeId: { runId: overdue, nodeId: 'slow' } },
        data: { status: 'succeeded', finishedAt: new Date(), leaseToken: null, leaseExpiresAt: null },
      });
      await db.prisma.run.update({
        where: { id: silent },
        data: { status: 'failed', finishedAt: new Date() },
      });
      await db.prisma.wait.update({
        where: { runId_nodeId: { runId: reviewed, nodeId: 'approve' } },
        data: { status: 'resolved', resolvedAt: new Date() },
      });
      await monitor.tick();
      const after = await alerts();
      expect(after).toHaveLength(3);
      expect(after.every((a) => a.resolvedAt !== null)).toBe(true);
      const audit = await db.prisma.event.findMany({ where: { workspaceId: s.workspaceId, runId: null } });
      expect(audit.filter((e) => e.type === 'alert.raised')).toHaveLength(3);
      expect(audit.filter((e) => e.type === 'alert.resolved')).toHaveLength(3);
    } finally {
      await monitor.stop();
    }
  });
});
