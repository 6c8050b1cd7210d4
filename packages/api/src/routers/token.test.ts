import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { hashToken } from '../auth/api-tokens';
import { createContextFactory } from '../context';
import { createCaller } from '../root';
import {
  asDatabase,
  callProcedure,
  contextFor,
  createWorkspaceFixture,
  userActor,
  type WorkspaceFixture,
} from '../testing';

describe('agent tokens', () => {
  let acme: WorkspaceFixture;
  test.beforeAll(async ({ db }) => {
    acme = await createWorkspaceFixture(db, { slug: 'acme' });
  });

  /** A caller exactly as an HTTP request with `Authorization: Bearer <secret>` gets it. */
  async function bearer(db: Parameters<typeof asDatabase>[0], secret: string) {
    const createContext = createContextFactory({ db: asDatabase(db), readSession: async () => null });
    const headers = new Headers({ authorization: `Bearer ${secret}` });
    return createCaller(await createContext({ headers, clientIp: '10.0.0.7' }));
  }

  async function eventsSince(db: Parameters<typeof asDatabase>[0], seq: number) {
    return db.prisma.event.findMany({
      where: { workspaceId: acme.workspaceId, runId: null, seq: { gt: seq } },
      orderBy: { seq: 'asc' },
    });
  }
  const headSeq = async (db: Parameters<typeof asDatabase>[0]) =>
    (await db.prisma.workspace.findUniqueOrThrow({ where: { id: acme.workspaceId } })).lastSeq;

  test('create shows the secret once and stores only its hash; list shows metadata', async ({ db }) => {
    const owner = createCaller(contextFor(asDatabase(db), userActor(acme, 'owner')));
    const created = await owner.token.create({
      name: 'ci',
      actions: ['run:read', 'workflow:read'],
      workflowIds: [acme.workflowId],
      expiresInDays: 30,
    });
    expect(created.token).toMatch(/^slk_[A-Za-z0-9_-]{43}$/);
    const row = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(hashToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    const listed = (await owner.token.list()).find((t) => t.id === created.id);
    expect(listed).toMatchObject({ name: 'ci', status: 'active', prefix: created.token.slice(0, 10) });
    expect(JSON.stringify(await owner.token.list())).not.toContain(created.token);
    const events = await db.prisma.event.findMany({
      where: { workspaceId: acme.workspaceId, type: 'token.created' },
      select: { payload: true },
    });
    expect(JSON.stringify(events)).not.toContain(created.token);
    // Management permissions cannot be granted to a token (`approval:decide` can, explicitly: issue 7).
    const ctx = contextFor(asDatabase(db), userActor(acme, 'owner'));
    for (const action of ['member:manage', 'token:manage', 'workflow:publish', 'task:answer']) {
      await expect(
        callProcedure(ctx, 'token.create', { name: 'x', actions: [action], expiresInDays: 1 }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
  });

  test('every use is an audit event and updates lastUsedAt', async ({ db }) => {
    const before = await headSeq(db);
    const agent = await bearer(db, acme.token.secret);
    expect((await agent.workflow.list()).map((w) => w.id)).toEqual([acme.workflowId]);
    const events = await eventsSince(db, before);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'token.used',
        actorId: acme.token.id,
        payload: expect.objectContaining({
          path: 'workflow.list',
          permission: 'workflow:read',
          clientIp: '10.0.0.7',
        }),
      }),
    ]);
    expect(
      (await db.prisma.apiToken.findUniqueOrThrow({ where: { id: acme.token.id } })).lastUsedAt,
    ).not.toBeNull();
  });

  test('out of scope (an action not granted): refused in the same request, audited and alerted', async ({
    db,
  }) => {
    const owner = createCaller(contextFor(asDatabase(db), userActor(acme, 'owner')));
    const narrow = await owner.token.create({ name: 'reader', actions: ['workflow:read'], expiresInDays: 1 });
    const before = await headSeq(db);
    const agent = await bearer(db, narrow.token);
    await expect(agent.audit.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const events = await eventsSince(db, before);
    expect(events.map((e) => e.type)).toEqual(['token.out_of_scope', 'alert.raised']);
    const alert = await db.prisma.alert.findFirstOrThrow({
      where: { workspaceId: acme.workspaceId, kind: 'token.out_of_scope' },
      orderBy: { createdAt: 'desc' },
    });
    expect(alert).toMatchObject({ severity: 'warning', acknowledgedAt: null });
    expect(alert.details).toMatchObject({ tokenId: narrow.id, path: 'audit.list', permission: 'audit:read' });
  });

  test('out of scope (another workflow): refused, audited and alerted; lists show only its workflows', async ({
    db,
  }) => {
    const owner = createCaller(contextFor(asDatabase(db), userActor(acme, 'owner')));
    const other = await db.prisma.workflow.create({
      data: {
        workspaceId: acme.workspaceId,
        name: 'Other',
        ownerTeam: 'platform',
        draftGraph: {},
        createdById: acme.users.owner.id,
      },
    });
    const limited = await owner.token.create({
      name: 'one workflow',
      actions: ['workflow:read'],
      workflowIds: [acme.workflowId],
      expiresInDays: 1,
    });
    const agent = await bearer(db, limited.token);
    expect((await agent.workflow.list()).map((w) => w.id)).toEqual([acme.workflowId]);
    const before = await headSeq(db);
    await expect(agent.workflow.get({ id: other.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await eventsSince(db, before)).map((e) => e.type)).toEqual([
      'token.used',
      'token.out_of_scope',
      'alert.raised',
    ]);
  });

  test('a token limited to some workflows cannot read the whole workspace’s audit chain or alerts', async ({
    db,
  }) => {
    const owner = createCaller(contextFor(asDatabase(db), userActor(acme, 'owner')));
    const limited = await owner.token.create({
      name: 'scoped auditor',
      actions: ['audit:read', 'alert:read'],
      workflowIds: [acme.workflowId],
      expiresInDays: 1,
    });
    const agent = await bearer(db, limited.token);
    await expect(agent.audit.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(agent.alert.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // A run of one of its workflows is within scope.
    expect(await agent.audit.list({ runId: acme.runId })).toEqual([]);
  });

  test('expired and revoked tokens: UNAUTHORIZED within one request, audited and alerted', async ({ db }) => {
    const owner = createCaller(contextFor(asDatabase(db), userActor(acme, 'owner')));
    const revoked = await owner.token.create({ name: 'old', actions: ['workflow:read'], expiresInDays: 1 });
    await owner.token.revoke({ id: revoked.id });
    const expired = await owner.token.create({ name: 'stale', actions: ['workflow:read'], expiresInDays: 1 });
    await db.prisma.apiToken.update({
      where: { id: expired.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });

    for (const [token, reason] of [
      [revoked, 'revoked'],
      [expired, 'expired'],
    ] as const) {
      const before = await headSeq(db);
      const agent = await bearer(db, token.token);
      await expect(agent.workflow.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      const events = await eventsSince(db, before);
      expect(events.map((e) => e.type)).toEqual(['token.refused', 'alert.raised']);
      expect(events[0]!.payload).toMatchObject({ tokenId: token.id, reason, path: 'workflow.list' });
      const alert = await db.prisma.alert.findFirstOrThrow({
        where: { workspaceId: acme.workspaceId, kind: 'token.refused' },
        orderBy: { id: 'desc' },
      });
      expect(alert.details).toMatchObject({ tokenId: token.id, reason });
    }
    expect((await owner.token.list()).find((t) => t.id === revoked.id)?.status).toBe('revoked');
    expect((await owner.token.list()).find((t) => t.id === expired.id)?.status).toBe('expired');
  });

  test('an unknown or malformed token is UNAUTHORIZED and records nothing', async ({ db }) => {
    const before = await headSeq(db);
    for (const secret of ['slk_' + 'A'.repeat(43), 'not-a-token']) {
      const agent = await bearer(db, secret);
      await expect(agent.workflow.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
    expect(await eventsSince(db, before)).toEqual([]);
  });
});
