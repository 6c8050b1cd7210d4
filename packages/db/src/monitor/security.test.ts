// Security signals and the alert lifecycle on a real database, with the records the rest of the
// system writes (token-use audit events, gate waits, sign-in throttle counters, failed steps).
import { randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { test, type TestDatabase } from '../testing';
import { appendWorkspaceEvents, verifyWorkspaceChain } from '../workspace-events';
import { reconcileAlerts } from './alert-lifecycle';
import { startMonitor } from './monitor';

async function workspace(db: TestDatabase) {
  const tag = randomUUID().slice(0, 8);
  const user = await db.prisma.user.create({ data: { email: `${tag}@example.test`, name: tag } });
  const ws = await db.prisma.workspace.create({ data: { name: tag, slug: tag } });
  await db.prisma.membership.create({ data: { workspaceId: ws.id, userId: user.id, role: 'reviewer' } });
  return { workspaceId: ws.id, user };
}

const tokenUsed = (tokenId: string, clientIp: string) => ({
  type: 'token.used',
  payload: { tokenId, path: 'run.start', permission: 'run:start', clientIp },
  actorId: tokenId,
});

describe('security signals', () => {
  test('a token used from a new address raises one alert; its first and known addresses do not', async ({
    db,
  }) => {
    const { workspaceId } = await workspace(db);
    const monitor = await startMonitor({ prisma: db.prisma, loop: false, settings: { settleMs: 0 } });
    try {
      const tokenId = randomUUID();
      await db.prisma.$transaction((tx) =>
        appendWorkspaceEvents(tx, workspaceId, [
          tokenUsed(tokenId, '10.0.0.1'),
          tokenUsed(tokenId, '10.0.0.1'),
        ]),
      );
      await monitor.tick();
      await db.prisma.$transaction((tx) =>
        appendWorkspaceEvents(tx, workspaceId, [
          tokenUsed(tokenId, '10.0.0.1'),
          tokenUsed(tokenId, '203.0.113.9'),
          tokenUsed(tokenId, '203.0.113.9'),
        ]),
      );
      await monitor.tick();
      const alerts = await db.prisma.alert.findMany({
        where: { workspaceId, kind: 'security.token_new_address' },
      });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.message).toContain('203.0.113.9');
      expect(alerts[0]!.details).toMatchObject({ tokenId, clientIp: '203.0.113.9' });
    } finally {
      await monitor.stop();
    }
  });

  test('an approval faster than its payload can be read is flagged; a considered one is not', async ({
    db,
  }) => {
    const { workspaceId, user } = await workspace(db);
    const monitor = await startMonitor({
      prisma: db.prisma,
      loop: false,
      settings: { settleMs: 0, security: { wordsPerSecond: 5, minWords: 10 } },
    });
    const payload = {
      summary: 'Refund the customer for the broken parcel',
      shown: [{ label: 'Details', value: 'word '.repeat(100).trim() }],
      input: { secret: 'never counted' },
    };
    const opened = new Date(Date.now() - 60_000);
    const wait = (runId: string, decidedAfterMs: number) => ({
      runId,
      nodeId: 'approve',
      workspaceId,
      kind: 'gate' as const,
      status: 'resolved' as const,
      attempt: 1,
      payload,
      payloadHash: 'b'.repeat(64),
      request: {},
      state: {
        decisions: [
          {
            userId: user.id,
            via: { type: 'user', id: user.id },
            verdict: 'approve',
            comment: 'ok',
            payloadHash: 'b'.repeat(64),
            at: new Date(opened.getTime() + decidedAfterMs).toISOString(),
          },
        ],
        outcome: 'approved',
      },
      createdAt: opened,
      resolvedAt: new Date(),
    });
    try {
      const hasty = randomUUID();
      // 108 words at 5 words a second need 21.6 s: 2 s is too fast, 40 s is not.
      await db.prisma.wait.createMany({ data: [wait(hasty, 2_000), wait(randomUUID(), 40_000)] });
      await monitor.tick();
      await monitor.tick();
      const alerts = await db.prisma.alert.findMany({
        where: { workspaceId, kind: 'security.fast_approval' },
      });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ runId: hasty, nodeId: 'approve' });
      expect(alerts[0]!.details).toMatchObject({ userId: user.id, words: 108, decidedAfterMs: 2_000 });
    } finally {
      await monitor.stop();
    }
  });

  test('repeated sign-in failures of a member are alerted in their workspace, once per window', async ({
    db,
  }) => {
    const { workspaceId, user } = await workspace(db);
    const monitor = await startMonitor({ prisma: db.prisma, loop: false, settings: { settleMs: 0 } });
    try {
      // Seven attempts counted by the throttle, one of which signed in.
      await db.prisma.rateLimit.create({
        data: { key: `email|${user.email}`, count: 7, windowStartedAt: new Date(Date.now() - 60_000) },
      });
      await db.prisma.session.create({
        data: { token: randomUUID(), userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) },
      });
      await monitor.tick();
      await monitor.tick();
      const alerts = await db.prisma.alert.findMany({
        where: { workspaceId, kind: 'security.sign_in_failures' },
      });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.details).toMatchObject({ userId: user.id, failures: 6, attempts: 7 });
    } finally {
      await monitor.stop();
    }
  });

  test('a surge of blocked handoffs is one critical alert', async ({ db }) => {
    const { workspaceId } = await workspace(db);
    const monitor = await startMonitor({
      prisma: db.prisma,
      loop: false,
      settings: { settleMs: 0, security: { handoffSurgeThreshold: 3 } },
    });
    try {
      for (let i = 0; i < 4; i++) {
        const runId = randomUUID();
        await db.prisma.event.create({
          data: {
            workspaceId,
            runId,
            seq: 1,
            type: 'step.failed',
            payload: {
              nodeId: 'summarise',
              attempt: 1,
              willRetry: false,
              error: { code: 'HANDOFF_BLOCKED', message: 'blocked' },
            },
            prevHash: '0'.repeat(64),
            hash: 'c'.repeat(64),
          },
        });
        await monitor.tick();
      }
      const alerts = await db.prisma.alert.findMany({
        where: { workspaceId, kind: 'security.handoff_surge' },
      });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ severity: 'critical', resolvedAt: null });
    } finally {
      await monitor.stop();
    }
  });
});

describe('alert lifecycle', () => {
  test('a condition raises once, resolves when gone, and each change is in the audit chain', async ({
    db,
  }) => {
    const { workspaceId } = await workspace(db);
    const condition = {
      workspaceId,
      dedupeKey: `stall.silent:${randomUUID()}`,
      kind: 'stall.silent',
      severity: 'warning' as const,
      message: 'Run has recorded nothing for a while.',
      details: { silentMs: 1 },
    };
    const first = await reconcileAlerts(db.prisma, ['stall.silent'], [condition]);
    const again = await Promise.all([
      reconcileAlerts(db.prisma, ['stall.silent'], [condition]),
      reconcileAlerts(db.prisma, ['stall.silent'], [condition]),
    ]);
    expect(first.raised).toHaveLength(1);
    expect(again.flatMap((r) => r.raised)).toEqual([]);
    const cleared = await Promise.all([
      reconcileAlerts(db.prisma, ['stall.silent'], []),
      reconcileAlerts(db.prisma, ['stall.silent'], []),
    ]);
    expect(cleared.flatMap((r) => r.resolved)).toHaveLength(1);
    // It comes back: a new alert, the old one stays resolved.
    expect((await reconcileAlerts(db.prisma, ['stall.silent'], [condition])).raised).toHaveLength(1);
    const rows = await db.prisma.alert.findMany({ where: { workspaceId }, orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => r.resolvedAt !== null)).toEqual([true, false]);
    const events = await db.prisma.event.findMany({
      where: { workspaceId, runId: null },
      orderBy: { seq: 'asc' },
    });
    expect(events.map((e) => e.type)).toEqual(['alert.raised', 'alert.resolved', 'alert.raised']);
    expect((await verifyWorkspaceChain(db.prisma, workspaceId)).ok).toBe(true);
    await expect(reconcileAlerts(db.prisma, ['stall.lease'], [condition])).rejects.toThrow(/not one of/);
  });
});
