import { test } from '@sluice/db/testing';
import { TRPCError } from '@trpc/server';
import { describe, expect } from 'vitest';
import { createCaller } from '../root';
import {
  asDatabase,
  callProcedure,
  contextFor,
  createWorkspaceFixture,
  echoGraph,
  userActor,
  type WorkspaceFixture,
} from '../testing';

async function lastEvent(db: { prisma: ReturnType<typeof asDatabase>['prisma'] }, workspaceId: string) {
  return db.prisma.event.findFirstOrThrow({ where: { workspaceId, runId: null }, orderBy: { seq: 'desc' } });
}

describe('workflow router', () => {
  let acme: WorkspaceFixture;
  test.beforeAll(async ({ db }) => {
    acme = await createWorkspaceFixture(db, { slug: 'acme' });
    await createWorkspaceFixture(db, { slug: 'other' });
  });
  const as = (db: Parameters<typeof asDatabase>[0], role: 'owner' | 'editor' | 'auditor' = 'editor') =>
    createCaller(contextFor(asDatabase(db), userActor(acme, role)));

  test('list and get: the workspace’s own workflows with the published graph', async ({ db }) => {
    const caller = as(db, 'auditor');
    const list = await caller.workflow.list();
    expect(list).toEqual([
      expect.objectContaining({
        id: acme.workflowId,
        name: 'Echo acme',
        latestVersion: expect.objectContaining({ version: 1 }),
      }),
    ]);
    const one = await caller.workflow.get({ id: acme.workflowId });
    expect(one.graph.nodes.map((n) => n.id)).toEqual(['start', 'done']);
    expect(one.latestVersion?.version).toBe(1);
    await expect(caller.workflow.get({ id: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test('saveDraft stores the graph, records who saved it, and refuses a stale base', async ({ db }) => {
    const caller = as(db);
    const before = await caller.workflow.get({ id: acme.workflowId });
    const graph = echoGraph('Echo acme');
    graph.nodes[1]!.label = 'Finished';
    const saved = await caller.workflow.saveDraft({
      id: acme.workflowId,
      graph,
      baseUpdatedAt: before.updatedAt,
    });
    expect((await caller.workflow.get({ id: acme.workflowId })).draftGraph.nodes[1]!.label).toBe('Finished');
    const event = await lastEvent(db, acme.workspaceId);
    expect(event).toMatchObject({ type: 'workflow.draft_saved', actorId: acme.users.editor.id });
    expect(event.payload).toMatchObject({
      workflowId: acme.workflowId,
      actor: { type: 'user', email: 'editor@acme.test' },
    });
    await expect(
      caller.workflow.saveDraft({ id: acme.workflowId, graph, baseUpdatedAt: before.updatedAt }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(saved.updatedAt).not.toBe(before.updatedAt);
  });

  test('compile reports diagnostics; publish is blocked while errors remain', async ({ db }) => {
    const caller = as(db);
    const broken = echoGraph('Echo acme');
    broken.edges = [];
    const compiled = await caller.workflow.compile({ id: acme.workflowId, graph: broken });
    expect(compiled.ok).toBe(false);
    expect(compiled.errors).toBeGreaterThan(0);
    expect(compiled.diagnostics[0]).toMatchObject({ severity: 'error', code: expect.any(String) });

    await caller.workflow.saveDraft({ id: acme.workflowId, graph: broken });
    const refused = await caller.workflow.publish({ id: acme.workflowId }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect(refused).toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect((await caller.workflow.versions({ id: acme.workflowId })).map((v) => v.version)).toEqual([1]);
  });

  test('publish creates an immutable version with spec, graph and hash; the same design twice is one version', async ({
    db,
  }) => {
    const caller = as(db);
    const graph = echoGraph('Echo acme');
    graph.nodes[0]!.label = 'Begin';
    await caller.workflow.saveDraft({ id: acme.workflowId, graph });
    const published = await caller.workflow.publish({ id: acme.workflowId });
    expect(published).toMatchObject({
      created: true,
      version: 2,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const again = await caller.workflow.publish({ id: acme.workflowId });
    expect(again).toMatchObject({ created: false, version: 2, hash: published.hash });

    const row = await db.prisma.workflowVersion.findFirstOrThrow({
      where: { workflowId: acme.workflowId, version: 2 },
    });
    expect(row.publishedById).toBe(acme.users.editor.id);
    expect(row.spec).toMatchObject({ metadata: { version: 2 } });
    expect((await lastEvent(db, acme.workspaceId)).type).toBe('workflow.published');
    await expect(
      db.prisma.workflowVersion.update({ where: { id: row.id }, data: { hash: 'f'.repeat(64) } }),
    ).rejects.toThrow();

    const versions = await caller.workflow.versions({ id: acme.workflowId });
    expect(versions.map((v) => [v.version, v.publishedBy.email])).toEqual([
      [2, 'editor@acme.test'],
      [1, 'owner@acme.test'],
    ]);
    const diff = await caller.workflow.diff({ id: acme.workflowId, from: 1, to: 2 });
    expect(diff.nodes).toEqual({ added: [], removed: [], changed: [{ id: 'start', fields: ['label'] }] });
    expect(diff.edges).toEqual({ added: [], removed: [], changed: [] });
  });

  test('diff names added, removed and changed nodes and edges, also against the draft', async ({ db }) => {
    const caller = as(db);
    const graph = echoGraph('Echo acme');
    graph.nodes.push({ ...graph.nodes[1]!, id: 'extra', label: 'Extra', position: { x: 400, y: 0 } });
    graph.edges = [{ id: 'e2', source: 'start', sourceHandle: 'out', target: 'extra', targetHandle: 'in' }];
    graph.nodes[1]!.config = { note: 'changed' };
    graph.access.audit = ['auditor', 'owner'];
    await caller.workflow.saveDraft({ id: acme.workflowId, graph });
    const diff = await caller.workflow.diff({ id: acme.workflowId, from: 1, to: 'draft' });
    expect(diff.nodes).toEqual({
      added: ['extra'],
      removed: [],
      changed: [{ id: 'done', fields: ['config'] }],
    });
    expect(diff.edges).toEqual({ added: ['e2'], removed: ['e1'], changed: [] });
    expect(diff.workflow).toEqual(['access.audit']);
    await expect(caller.workflow.diff({ id: acme.workflowId, from: 1, to: 99 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  test('export then import round-trips; a document edited after export is refused', async ({ db }) => {
    const caller = as(db);
    const exported = await caller.workflow.export({ id: acme.workflowId, version: 1 });
    expect(exported.published?.hash).toMatch(/^[0-9a-f]{64}$/);
    const renamed = { ...exported.graph, metadata: { ...exported.graph.metadata, name: 'Echo copy' } };

    await expect(caller.workflow.import({ document: { ...exported, graph: renamed } })).rejects.toMatchObject(
      {
        code: 'BAD_REQUEST',
      },
    );
    const { published: _published, ...draftOnly } = exported;
    const imported = await caller.workflow.import({ document: { ...draftOnly, graph: renamed } });
    expect(imported).toMatchObject({ ok: true, errors: 0 });
    const copy = await caller.workflow.get({ id: imported.id });
    expect(copy).toMatchObject({ name: 'Echo copy', latestVersion: null });
    expect((await lastEvent(db, acme.workspaceId)).type).toBe('workflow.imported');

    await expect(
      caller.workflow.import({ document: { ...draftOnly, graph: renamed } }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const ctx = contextFor(asDatabase(db), userActor(acme, 'editor'));
    await expect(
      callProcedure(ctx, 'workflow.import', { document: { ...draftOnly, graph: renamed, extra: 1 } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  test('create, duplicate and delete: a starter draft, a renamed copy, and no deleting what ran', async ({
    db,
  }) => {
    const caller = as(db);
    const created = await caller.workflow.create({ name: 'Fresh', ownerTeam: 'ops' });
    const fresh = await caller.workflow.get({ id: created.id });
    expect(fresh.draftGraph.nodes.map((n) => n.kind)).toEqual(['trigger']);
    expect(fresh.draftGraph.metadata).toMatchObject({ name: 'Fresh', ownerTeam: 'ops' });
    const compiled = await caller.workflow.compile({ id: created.id });
    expect(compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['SL109']);
    await expect(caller.workflow.create({ name: 'Fresh', ownerTeam: 'ops' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });

    const copy = await caller.workflow.duplicate({ id: acme.workflowId, name: 'Echo twin' });
    const twin = await caller.workflow.get({ id: copy.id });
    expect(twin).toMatchObject({ name: 'Echo twin', latestVersion: null });
    expect(twin.draftGraph.nodes.map((n) => n.id)).toEqual(
      (await caller.workflow.get({ id: acme.workflowId })).draftGraph.nodes.map((n) => n.id),
    );
    expect((await lastEvent(db, acme.workspaceId)).type).toBe('workflow.duplicated');

    await caller.workflow.delete({ id: copy.id });
    await expect(caller.workflow.get({ id: copy.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await lastEvent(db, acme.workspaceId)).type).toBe('workflow.deleted');
    // The fixture's workflow has a run pinned to its version 1.
    await expect(caller.workflow.delete({ id: acme.workflowId })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    await expect(as(db, 'auditor').workflow.delete({ id: created.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  test('list names the status of the newest run', async ({ db }) => {
    const list = await as(db, 'auditor').workflow.list();
    const echo = list.find((w) => w.id === acme.workflowId);
    expect(echo?.lastRun).toMatchObject({ status: expect.any(String), createdAt: expect.any(String) });
    expect(list.filter((w) => w.id !== acme.workflowId).every((w) => w.lastRun === null)).toBe(true);
  });
});
