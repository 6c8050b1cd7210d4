// Agent tokens through real HTTP: out of scope, revoked and expired tokens are refused within the
// request that uses them, and each refusal leaves a workspace audit event and an alert. A live
// run.watch stream opened by a token ends when the token expires, with the same record.
import { asDatabase, createWorkspaceFixture, type WorkspaceFixture } from '@sluice/api/testing';
import { hashToken } from '@sluice/api';
import { openPgStore, type PgStore } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { createEngine, type Engine } from '@sluice/engine';
import { serverExecutors } from '@sluice/nodes/server';
import { randomBytes } from 'node:crypto';
import { describe, expect } from 'vitest';
import { listenOnLoopback, type LoopbackServer, testApp } from './test-support';

type Db = Parameters<typeof asDatabase>[0];

describe('agent tokens over HTTP', () => {
  let acme: WorkspaceFixture;
  let server: LoopbackServer;
  let store: PgStore;
  let engine: Engine;

  test.beforeAll(async ({ db }) => {
    acme = await createWorkspaceFixture(db, { slug: 'acme' });
    store = await openPgStore({ url: db.url });
    engine = createEngine({ store, executors: serverExecutors });
    await engine.start();
    server = await listenOnLoopback((publicUrl) =>
      testApp(asDatabase(db), { publicUrl, services: { engine } }),
    );
  });
  test.afterAll(async () => {
    await server?.close();
    await engine?.stop();
    await store?.close();
  });

  /** A token row made straight in the database, so its expiry can be anywhere. */
  async function token(db: Db, options: { actions: string[]; expiresAt: Date; revokedAt?: Date }) {
    const secret = `slk_${randomBytes(32).toString('base64url')}`;
    const row = await db.prisma.apiToken.create({
      data: {
        workspaceId: acme.workspaceId,
        name: `agent ${secret.slice(4, 10)}`,
        tokenHash: hashToken(secret),
        prefix: secret.slice(0, 10),
        actions: options.actions,
        workflowIds: [],
        createdById: acme.users.owner.id,
        expiresAt: options.expiresAt,
        revokedAt: options.revokedAt ?? null,
      },
    });
    return { id: row.id, secret };
  }

  const get = (path: string, secret: string, input?: unknown) =>
    fetch(
      `${server.url}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
      {
        headers: { authorization: `Bearer ${secret}` },
      },
    );

  /** The events and alerts that name `tokenId`, recorded after `afterSeq`. */
  async function recordsOf(db: Db, tokenId: string, afterSeq: number) {
    const events = await db.prisma.event.findMany({
      where: { workspaceId: acme.workspaceId, runId: null, seq: { gt: afterSeq } },
      orderBy: { seq: 'asc' },
    });
    const alerts = await db.prisma.alert.findMany({ where: { workspaceId: acme.workspaceId } });
    return {
      types: events.filter((e) => JSON.stringify(e.payload).includes(tokenId)).map((e) => e.type),
      alerts: alerts.filter((a) => JSON.stringify(a.details).includes(tokenId)).map((a) => a.kind),
    };
  }
  const headSeq = async (db: Db) =>
    (await db.prisma.workspace.findUniqueOrThrow({ where: { id: acme.workspaceId } })).lastSeq;

  test('out of scope: 403 in that request, audited and alerted', async ({ db }) => {
    const reader = await token(db, {
      actions: ['workflow:read'],
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const before = await headSeq(db);
    expect((await get('workflow.list', reader.secret)).status).toBe(200);
    const refused = await get('alert.list', reader.secret, {});
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { data: { code: 'FORBIDDEN' } } });
    expect(await recordsOf(db, reader.id, before)).toEqual({
      types: ['token.used', 'token.out_of_scope'],
      alerts: ['token.out_of_scope'],
    });
  });

  test('revoked: the very next request is 401, audited and alerted', async ({ db }) => {
    const agent = await token(db, {
      actions: ['workflow:read'],
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    expect((await get('workflow.list', agent.secret)).status).toBe(200);
    await db.prisma.apiToken.update({ where: { id: agent.id }, data: { revokedAt: new Date() } });
    const before = await headSeq(db);
    const refused = await get('workflow.list', agent.secret);
    expect(refused.status).toBe(401);
    expect(JSON.stringify(await refused.json())).toContain('revoked');
    expect(await recordsOf(db, agent.id, before)).toEqual({
      types: ['token.refused'],
      alerts: ['token.refused'],
    });
  });

  test('expired: 401, audited and alerted', async ({ db }) => {
    const agent = await token(db, { actions: ['workflow:read'], expiresAt: new Date(Date.now() - 1000) });
    const before = await headSeq(db);
    const refused = await get('workflow.list', agent.secret);
    expect(refused.status).toBe(401);
    expect(JSON.stringify(await refused.json())).toContain('expired');
    expect(await recordsOf(db, agent.id, before)).toEqual({
      types: ['token.refused'],
      alerts: ['token.refused'],
    });
  });

  test('a run.watch stream opened by a token ends when the token expires, audited and alerted', async ({
    db,
  }) => {
    const run = await db.prisma.run.create({
      data: {
        workspaceId: acme.workspaceId,
        workflowVersionId: acme.workflowVersionId,
        status: 'waiting',
        input: {},
      },
    });
    const agent = await token(db, { actions: ['run:read'], expiresAt: new Date(Date.now() + 1500) });
    const before = await headSeq(db);
    const response = await get('run.watch', agent.secret, { runId: run.id });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    // The stream stays open while the token lives, then ends with an error instead of more events.
    const text = await response.text();
    expect(text).toContain('serialized-error');
    expect(text).toContain('expired');
    expect(await recordsOf(db, agent.id, before)).toEqual({
      types: ['token.used', 'token.refused'],
      alerts: ['token.refused'],
    });
  });
});
