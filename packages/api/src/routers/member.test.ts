import { test } from '@sluice/db/testing';
import { verifyPassword } from 'better-auth/crypto';
import { describe, expect } from 'vitest';
import { MembershipEvents, type MembershipChange } from '../membership-events';
import { createCaller } from '../root';
import { asDatabase, contextFor, createWorkspaceFixture, userActor, type WorkspaceFixture } from '../testing';

describe('member router', () => {
  let acme: WorkspaceFixture;
  let other: WorkspaceFixture;
  test.beforeAll(async ({ db }) => {
    acme = await createWorkspaceFixture(db, { slug: 'acme' });
    other = await createWorkspaceFixture(db, { slug: 'other' });
  });

  test('list: the workspace’s members only', async ({ db }) => {
    const members = await createCaller(contextFor(asDatabase(db), userActor(acme, 'reviewer'))).member.list();
    expect(members.map((m) => m.email).sort()).toEqual(
      ['auditor', 'editor', 'operator', 'owner', 'reviewer', 'spare'].map((l) => `${l}@acme.test`),
    );
  });

  test('invite: a new user gets a one-time password, stored only as a hash and never recorded', async ({
    db,
  }) => {
    const owner = createCaller(contextFor(asDatabase(db), userActor(acme, 'owner')));
    const invited = await owner.member.invite({
      email: ' New.Person@Acme.test ',
      name: 'New Person',
      role: 'editor',
    });
    expect(invited).toMatchObject({ email: 'new.person@acme.test', role: 'editor' });
    expect(invited.temporaryPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const account = await db.prisma.account.findFirstOrThrow({ where: { userId: invited.userId } });
    expect(account.password).not.toContain(invited.temporaryPassword);
    expect(await verifyPassword({ hash: account.password!, password: invited.temporaryPassword! })).toBe(
      true,
    );
    const events = await db.prisma.event.findMany({
      where: { workspaceId: acme.workspaceId },
      select: { payload: true },
    });
    expect(JSON.stringify(events)).not.toContain(invited.temporaryPassword);
    expect(
      await db.prisma.event.count({ where: { workspaceId: acme.workspaceId, type: 'member.invited' } }),
    ).toBe(1);

    // A member of another workspace joins with their own password; twice is a conflict.
    const existing = await owner.member.invite({
      email: other.users.auditor.email,
      name: 'x',
      role: 'reviewer',
    });
    expect(existing).toMatchObject({ userId: other.users.auditor.id, temporaryPassword: null });
    await expect(
      owner.member.invite({ email: other.users.auditor.email, name: 'x', role: 'reviewer' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  test('changeRole: audited, announced to open subscriptions, scoped to the workspace', async ({ db }) => {
    const membershipEvents = new MembershipEvents();
    const changes: MembershipChange[] = [];
    membershipEvents.subscribe((change) => changes.push(change));
    const owner = createCaller(contextFor(asDatabase(db), userActor(acme, 'owner'), { membershipEvents }));
    await owner.member.changeRole({ userId: acme.spare.id, role: 'auditor' });
    expect(changes).toEqual([
      { workspaceId: acme.workspaceId, actor: { type: 'user', id: acme.spare.id }, role: 'auditor' },
    ]);
    const event = await db.prisma.event.findFirstOrThrow({
      where: { workspaceId: acme.workspaceId, type: 'member.role_changed' },
    });
    expect(event).toMatchObject({
      actorId: acme.users.owner.id,
      payload: expect.objectContaining({ from: 'operator', to: 'auditor' }),
    });
    await expect(owner.member.changeRole({ userId: other.spare.id, role: 'owner' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await db.prisma.membership.findFirstOrThrow({ where: { userId: other.spare.id } })).role).toBe(
      'operator',
    );
  });

  test('the last owner can be neither demoted nor removed', async ({ db }) => {
    const owner = createCaller(contextFor(asDatabase(db), userActor(acme, 'owner')));
    await expect(
      owner.member.changeRole({ userId: acme.users.owner.id, role: 'editor' }),
    ).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    await expect(owner.member.remove({ userId: acme.users.owner.id })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    // With a second owner, the first may step down, and then the second is the last one.
    await owner.member.changeRole({ userId: acme.users.editor.id, role: 'owner' });
    await owner.member.changeRole({ userId: acme.users.owner.id, role: 'editor' });
    const editorNowOwner = createCaller(
      contextFor(asDatabase(db), { ...userActor(acme, 'editor'), role: 'owner' }),
    );
    await expect(editorNowOwner.member.remove({ userId: acme.users.editor.id })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
    await editorNowOwner.member.changeRole({ userId: acme.users.owner.id, role: 'owner' });
  });

  test('remove: the membership goes, the user stays, and it is recorded', async ({ db }) => {
    const owner = createCaller(contextFor(asDatabase(db), userActor(acme, 'owner')));
    await owner.member.remove({ userId: acme.spare.id });
    expect(await db.prisma.membership.count({ where: { userId: acme.spare.id } })).toBe(0);
    expect(await db.prisma.user.count({ where: { id: acme.spare.id } })).toBe(1);
    expect(
      await db.prisma.event.count({ where: { workspaceId: acme.workspaceId, type: 'member.removed' } }),
    ).toBe(1);
  });
});
