import { randomUUID } from 'node:crypto';
import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { createCaller } from '../root';
import {
  asDatabase,
  contextFor,
  createWorkspaceFixture,
  testVault,
  userActor,
  type WorkspaceFixture,
} from '../testing';

type Db = Parameters<typeof asDatabase>[0];

describe('credential router', () => {
  let acme: WorkspaceFixture;
  let globex: WorkspaceFixture;
  test.beforeAll(async ({ db }) => {
    acme = await createWorkspaceFixture(db, { slug: 'acme' });
    globex = await createWorkspaceFixture(db, { slug: 'globex' });
  });

  const owner = (db: Db) => createCaller(contextFor(asDatabase(db), userActor(acme, 'owner')));
  const reveal = (db: Db, name: string, nodeId = 'done') =>
    testVault(db).reveal({
      workspaceId: acme.workspaceId,
      workflowId: acme.workflowId,
      workflowVersionId: acme.workflowVersionId,
      runId: acme.runId,
      nodeId,
      name,
    });

  test('create, rotate, rebind and delete: values go in, only metadata comes out, each change audited', async ({
    db,
  }) => {
    const first = `canary-${randomUUID()}`;
    const second = `canary-${randomUUID()}`;
    const api = owner(db);
    const responses: unknown[] = [];
    const created = await api.credential.create({
      name: 'openai-prod',
      description: 'the production key',
      value: first,
      bindings: [{ workflowId: acme.workflowId, nodeIds: [] }],
    });
    responses.push(created);
    expect(created).toMatchObject({
      name: 'openai-prod',
      valueVersion: 1,
      bindings: [{ workflowId: acme.workflowId, nodeIds: [] }],
    });
    expect(Object.keys(created)).not.toContain('value');
    expect(await reveal(db, 'openai-prod')).toBe(first);

    const rotated = await api.credential.rotate({ id: created.id, value: second });
    responses.push(rotated);
    expect(rotated.valueVersion).toBe(2);
    expect(await reveal(db, 'openai-prod')).toBe(second);

    const rebound = await api.credential.update({
      id: created.id,
      bindings: [{ workflowId: acme.workflowId, nodeIds: ['summarise'] }],
    });
    responses.push(rebound);
    expect(rebound.bindings).toEqual([{ workflowId: acme.workflowId, nodeIds: ['summarise'] }]);
    await expect(reveal(db, 'openai-prod', 'done')).rejects.toThrow('not bound to node done');
    expect(await reveal(db, 'openai-prod', 'summarise')).toBe(second);

    responses.push(await api.credential.list(), await api.credential.get({ id: created.id }));
    responses.push(await api.credential.delete({ id: created.id }));
    await expect(api.credential.get({ id: created.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const changes = await db.prisma.event.findMany({
      where: { workspaceId: acme.workspaceId, type: { startsWith: 'credential.' } },
      orderBy: { seq: 'asc' },
    });
    expect(changes.map((e) => e.type)).toEqual([
      'credential.created',
      'credential.used',
      'credential.rotated',
      'credential.used',
      'credential.updated',
      'credential.refused',
      'credential.used',
      'credential.deleted',
    ]);
    const changedBy = changes.filter((e) => !['credential.used', 'credential.refused'].includes(e.type));
    for (const event of changedBy) {
      expect(event.actorId).toBe(acme.users.owner.id);
      expect(event.payload).toMatchObject({ credentialId: created.id, actor: { id: acme.users.owner.id } });
    }
    expect(changedBy[2]?.payload).toMatchObject({
      bindingsBefore: [{ workflowId: acme.workflowId, nodeIds: [] }],
      bindingsAfter: [{ workflowId: acme.workflowId, nodeIds: ['summarise'] }],
    });
    const everything = JSON.stringify({ responses, events: changes.map((e) => e.payload) });
    expect(everything).not.toContain(first);
    expect(everything).not.toContain(second);
  });

  test('names are unique per workspace; bindings name only workflows of the workspace', async ({ db }) => {
    const api = owner(db);
    await api.credential.create({ name: 'dup', value: 'x' });
    await expect(api.credential.create({ name: 'dup', value: 'y' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      api.credential.create({
        name: 'foreign',
        value: 'x',
        bindings: [{ workflowId: globex.workflowId, nodeIds: [] }],
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await api.credential.list()).map((c) => c.name)).not.toContain('foreign');
    // Another workspace may use the same name.
    const globexOwner = createCaller(contextFor(asDatabase(db), userActor(globex, 'owner')));
    await expect(globexOwner.credential.create({ name: 'dup', value: 'z' })).resolves.toMatchObject({
      name: 'dup',
    });
  });

  let testDb: Db;
  test.beforeAll(({ db }) => {
    testDb = db;
  });

  test.each([
    ['an empty value', { name: 'ok', value: '' }, 'value'],
    ['a name with a slash', { name: 'a/b', value: 'x' }, 'name'],
    ['a value over 16 KiB', { name: 'big', value: 'x'.repeat(16 * 1024 + 1) }, 'value'],
    ['an unknown key', { name: 'ok', value: 'x', ciphertext: 'AAAA' }, ''],
    [
      'a node listed twice',
      { name: 'ok', value: 'x', bindings: [{ workflowId: 'w', nodeIds: ['a', 'a'] }] },
      'bindings.0.nodeIds',
    ],
  ])('refuses %s with the path of the problem', async (_what, input, path) => {
    const ctx = contextFor(asDatabase(testDb), userActor(acme, 'owner'));
    const error = await createCaller(ctx)
      .credential.create(input as never)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    const issues: unknown = Reflect.get(Reflect.get(Object(error), 'cause') ?? {}, 'issues');
    expect(Array.isArray(issues) && issues.map((i: { path: unknown[] }) => i.path.join('.'))).toContain(path);
  });

  test('a caller without a vault is told it is not configured', async ({ db }) => {
    const ctx = contextFor(asDatabase(db), userActor(acme, 'owner'));
    const withoutVault = { ...ctx, services: { membershipEvents: ctx.services.membershipEvents } };
    await expect(createCaller(withoutVault).credential.list()).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
  });
});
