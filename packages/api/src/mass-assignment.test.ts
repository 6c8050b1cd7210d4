// Mass assignment: keys a procedure does not declare (`workspaceId`, `role`, `createdBy`…) are
// refused, never copied into a row. Every mutation of the router is tried.
import { test } from '@sluice/db/testing';
import { TRPCError } from '@trpc/server';
import { describe, expect } from 'vitest';
import {
  asDatabase,
  callProcedure,
  contextFor,
  createWorkspaceFixture,
  procedureEntries,
  procedureSamples,
  userActor,
  type WorkspaceFixture,
} from './testing';

type Db = Parameters<typeof asDatabase>[0];

/** Everything a smuggled key could change, as one comparable value. */
async function snapshot(db: Db) {
  const [memberships, workflows, tokens, versions, events, users] = await Promise.all([
    db.prisma.membership.findMany({
      orderBy: { id: 'asc' },
      select: { workspaceId: true, userId: true, role: true },
    }),
    db.prisma.workflow.findMany({
      orderBy: { id: 'asc' },
      select: { id: true, workspaceId: true, createdById: true, name: true, draftGraph: true },
    }),
    db.prisma.apiToken.findMany({
      orderBy: { id: 'asc' },
      select: { workspaceId: true, createdById: true, actions: true, revokedAt: true },
    }),
    db.prisma.workflowVersion.count(),
    db.prisma.event.count(),
    db.prisma.user.count(),
  ]);
  return { memberships, workflows, tokens, versions, events, users };
}

describe('mass assignment', () => {
  let own: WorkspaceFixture;
  let foreign: WorkspaceFixture;
  test.beforeAll(async ({ db }) => {
    own = await createWorkspaceFixture(db, { slug: 'own' });
    foreign = await createWorkspaceFixture(db, { slug: 'foreign' });
  });

  test('every mutation refuses workspaceId, role and createdBy, and changes nothing', async ({ db }) => {
    const samples = procedureSamples(own, foreign);
    const ctx = contextFor(asDatabase(db), userActor(own, 'owner'));
    const smuggled = {
      workspaceId: foreign.workspaceId,
      role: 'owner',
      createdBy: foreign.users.owner.id,
      createdById: foreign.users.owner.id,
    };
    const mutations = procedureEntries().filter((p) => p.type === 'mutation');
    expect(mutations.length).toBeGreaterThan(8);
    for (const { path } of mutations) {
      const input = samples[path]?.own();
      if (typeof input !== 'object' || input === null) throw new Error(`${path}: no object sample`);
      const before = await snapshot(db);
      // `role` is a declared key of some inputs; smuggle only what the input does not declare.
      const extra = Object.fromEntries(Object.entries(smuggled).filter(([key]) => !(key in input)));
      const error = await callProcedure(ctx, path, { ...input, ...extra }).catch((e: unknown) => e);
      expect(error, path).toBeInstanceOf(TRPCError);
      expect(error, path).toMatchObject({ code: 'BAD_REQUEST' });
      expect(await snapshot(db), path).toEqual(before);
    }
  });

  test('nested documents refuse unknown keys too', async ({ db }) => {
    const ctx = contextFor(asDatabase(db), userActor(own, 'editor'));
    const input = procedureSamples(own, foreign)['workflow.import']!.own();
    if (typeof input !== 'object' || input === null || !('document' in input)) throw new Error('bad sample');
    const before = await snapshot(db);
    const document = { ...Object(input.document), workspaceId: foreign.workspaceId };
    await expect(callProcedure(ctx, 'workflow.import', { document })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await snapshot(db)).toEqual(before);
  });

  test('an unknown key in a query input is refused as well', async ({ db }) => {
    const ctx = contextFor(asDatabase(db), userActor(own, 'auditor'));
    await expect(
      callProcedure(ctx, 'workflow.get', { id: foreign.workflowId, workspaceId: foreign.workspaceId }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
