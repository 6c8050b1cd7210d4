import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { createCaller } from '../root';
import { asDatabase, contextFor, createWorkspaceFixture, userActor, type WorkspaceFixture } from '../testing';

describe('audit and alert routers', () => {
  let acme: WorkspaceFixture;
  test.beforeAll(async ({ db }) => {
    acme = await createWorkspaceFixture(db, { slug: 'acme' });
    const owner = createCaller(contextFor(asDatabase(db), userActor(acme, 'owner')));
    await owner.token.create({ name: 'one', actions: ['run:read'], expiresInDays: 1 });
    await owner.member.changeRole({ userId: acme.spare.id, role: 'reviewer' });
  });

  test('list pages back through the workspace chain, newest first', async ({ db }) => {
    const auditor = createCaller(contextFor(asDatabase(db), userActor(acme, 'auditor')));
    const all = await auditor.audit.list({});
    expect(all.map((e) => e.type)).toEqual(['member.role_changed', 'token.created']);
    expect(all[0]).toMatchObject({
      seq: 2,
      actorId: acme.users.owner.id,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await auditor.audit.list({ beforeSeq: 2 })).map((e) => e.seq)).toEqual([1]);
    expect((await auditor.audit.list({ type: 'token.created' })).map((e) => e.seq)).toEqual([1]);
  });

  test('verify recomputes the workspace chain and a run chain', async ({ db }) => {
    const auditor = createCaller(contextFor(asDatabase(db), userActor(acme, 'auditor')));
    expect(await auditor.audit.verify({})).toEqual({ ok: true, length: 2 });
    expect(await auditor.audit.verify({ runId: acme.runId })).toEqual({ ok: true, length: 0 });
    // A run whose recorded head does not match its events (a deleted tail) fails.
    await db.prisma.run.update({ where: { id: acme.runId }, data: { lastSeq: 3 } });
    expect(await auditor.audit.verify({ runId: acme.runId })).toMatchObject({ ok: false });
    await db.prisma.run.update({ where: { id: acme.runId }, data: { lastSeq: 0 } });
  });

  test('export gives JSON Lines that verify on their own', async ({ db }) => {
    const auditor = createCaller(contextFor(asDatabase(db), userActor(acme, 'auditor')));
    const exported = await auditor.audit.export({});
    expect(exported).toMatchObject({ contentType: 'application/x-ndjson', complete: true, lastSeq: 2 });
    const lines = exported.body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { seq: number; prevHash: string; hash: string });
    expect(lines.map((l) => l.seq)).toEqual([1, 2]);
    expect(lines[1]!.prevHash).toBe(lines[0]!.hash);
    expect((await auditor.audit.export({ afterSeq: 1 })).body.trimEnd().split('\n')).toHaveLength(1);
  });

  test('alerts: list open ones, acknowledge once with a comment, recorded', async ({ db }) => {
    const operator = createCaller(contextFor(asDatabase(db), userActor(acme, 'operator')));
    expect((await operator.alert.list({})).map((a) => a.id)).toEqual([acme.alertId]);
    await operator.alert.acknowledge({ id: acme.alertId, comment: 'expected during the test' });
    expect(await operator.alert.list({})).toEqual([]);
    expect((await operator.alert.list({ status: 'acknowledged' }))[0]).toMatchObject({
      acknowledgedById: acme.users.operator.id,
      comment: 'expected during the test',
    });
    await expect(operator.alert.acknowledge({ id: acme.alertId, comment: 'again' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const event = await db.prisma.event.findFirstOrThrow({
      where: { workspaceId: acme.workspaceId, type: 'alert.acknowledged' },
    });
    expect(event.payload).toMatchObject({ alertId: acme.alertId, comment: 'expected during the test' });
  });
});
