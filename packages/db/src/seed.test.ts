import { describe, expect } from 'vitest';
import { canonicalJson, sha256Hex } from './chain';
import { createPrismaClient } from './client';
import { membershipRoles } from './enums';
import { seedDemoWorkspace, type SeedDemoWorkspaceInput } from './seed';
import { createTestDatabase, test } from './testing';
import { verifyWorkspaceChain } from './workspace-events';

const spec = { specVersion: 'sluice/v1', nodes: [{ id: 'triage', kind: 'ai', typeVersion: 1 }], edges: [] };
const input: SeedDemoWorkspaceInput = {
  workspace: { name: 'Demo workspace', slug: 'demo' },
  users: membershipRoles.map((role) => ({
    email: `${role}@demo.sluice.test`,
    name: `Demo ${role}`,
    role,
    passwordHash: `salt:hash-of-${role}`,
  })),
  workflow: {
    name: 'Support triage',
    description: 'Sorts incoming tickets',
    ownerTeam: 'support',
    graph: { nodes: [{ id: 'triage', position: { x: 0, y: 0 } }], edges: [], optional: undefined },
    spec,
    hash: sha256Hex(canonicalJson(spec)),
  },
};

describe('seedDemoWorkspace', () => {
  test('creates the workspace, members with credential accounts, the workflow and version 1', async ({
    db,
  }) => {
    const seeded = await seedDemoWorkspace(db.prisma, input);
    expect(seeded).not.toBeNull();
    if (!seeded) return;

    const workspace = await db.prisma.workspace.findUniqueOrThrow({ where: { slug: 'demo' } });
    expect(workspace).toMatchObject({ id: seeded.workspaceId, name: 'Demo workspace' });

    const members = await db.prisma.membership.findMany({
      where: { workspaceId: workspace.id },
      include: { user: { include: { accounts: true } } },
    });
    expect(members.map((m) => [m.user.email, m.role]).sort()).toEqual(
      input.users.map((u) => [u.email, u.role]).sort(),
    );
    for (const member of members) {
      expect(member.user.accounts).toEqual([
        expect.objectContaining({
          providerId: 'credential',
          accountId: member.user.id,
          password: `salt:hash-of-${member.role}`,
        }),
      ]);
      expect(seeded.userIds[member.user.email]).toBe(member.user.id);
    }

    const workflow = await db.prisma.workflow.findUniqueOrThrow({
      where: { id: seeded.workflowId },
      include: { versions: true },
    });
    expect(workflow).toMatchObject({
      name: 'Support triage',
      ownerTeam: 'support',
      workspaceId: workspace.id,
    });
    expect(workflow.createdById).toBe(seeded.userIds['owner@demo.sluice.test']);
    expect(workflow.draftGraph).toEqual({ nodes: [{ id: 'triage', position: { x: 0, y: 0 } }], edges: [] });
    expect(workflow.versions).toEqual([
      expect.objectContaining({ id: seeded.workflowVersionId, version: 1, spec, hash: input.workflow.hash }),
    ]);
  });

  test('hash-chains its workspace events, and the chain verifies', async ({ db }) => {
    await seedDemoWorkspace(db.prisma, input); // a no-op when the test above ran first
    const workspace = await db.prisma.workspace.findUniqueOrThrow({ where: { slug: 'demo' } });
    const events = await db.prisma.event.findMany({
      where: { workspaceId: workspace.id },
      orderBy: { seq: 'asc' },
    });
    expect(events.map((e) => e.type)).toEqual([
      'workspace.seeded',
      ...membershipRoles.map(() => 'member.added'),
      'workflow.created',
      'workflow.published',
    ]);
    expect(events.every((e) => e.runId === null)).toBe(true);
    expect(events[0]?.prevHash).toBe('0'.repeat(64));
    expect(workspace.lastSeq).toBe(events.length);
    expect(await verifyWorkspaceChain(db.prisma, workspace.id)).toEqual({ ok: true, length: events.length });
  });

  test('does nothing and returns null once a workspace exists', async ({ db }) => {
    await seedDemoWorkspace(db.prisma, input);
    const before = await Promise.all([
      db.prisma.user.count(),
      db.prisma.event.count(),
      db.prisma.workflow.count(),
    ]);
    expect(await seedDemoWorkspace(db.prisma, input)).toBeNull();
    expect(
      await seedDemoWorkspace(db.prisma, { ...input, workspace: { name: 'Other', slug: 'other' } }),
    ).toBeNull();
    const after = await Promise.all([
      db.prisma.user.count(),
      db.prisma.event.count(),
      db.prisma.workflow.count(),
    ]);
    expect(after).toEqual(before);
  });

  test('seeds once when several processes start at the same time', async () => {
    const fresh = await createTestDatabase();
    const clients = [0, 1, 2].map(() => createPrismaClient(fresh.url));
    try {
      const results = await Promise.all(clients.map((prisma) => seedDemoWorkspace(prisma, input)));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await clients[0]?.workspace.count()).toBe(1);
    } finally {
      await Promise.all(clients.map((prisma) => prisma.$disconnect()));
      await fresh.drop();
    }
  });

  test('refuses input it cannot store faithfully', async () => {
    const fresh = await createTestDatabase();
    const prisma = createPrismaClient(fresh.url);
    try {
      await expect(
        seedDemoWorkspace(prisma, { ...input, workflow: { ...input.workflow, hash: 'not-a-hash' } }),
      ).rejects.toThrow('64 lower-case hex');
      await expect(
        seedDemoWorkspace(prisma, { ...input, workflow: { ...input.workflow, spec: { at: new Date() } } }),
      ).rejects.toThrow('$.at is Date');
      expect(await prisma.workspace.count()).toBe(0);
    } finally {
      await prisma.$disconnect();
      await fresh.drop();
    }
  });
});
