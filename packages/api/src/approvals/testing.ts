// Test helpers for the approvals tests: publish a spec as a workflow of a fixture workspace, add
// members, and read a run's events. Not used by production code.
import { type Database, type MembershipRole, toJsonInput } from '@sluice/db';
import type { Spec } from '@sluice/spec';
import { randomUUID } from 'node:crypto';
import type { FixtureUser, WorkspaceFixture } from '../testing';

/** Stores `spec` as version 1 of a new workflow of the fixture's workspace, published by its owner. */
export async function publishSpec(
  db: Pick<Database, 'prisma'>,
  fixture: WorkspaceFixture,
  spec: Spec,
): Promise<{ workflowId: string; versionId: string }> {
  const name = `${spec.metadata.name} ${randomUUID().slice(0, 6)}`;
  const workflow = await db.prisma.workflow.create({
    data: {
      workspaceId: fixture.workspaceId,
      name,
      ownerTeam: spec.metadata.ownerTeam,
      draftGraph: {},
      createdById: fixture.users.owner.id,
    },
  });
  const version = await db.prisma.workflowVersion.create({
    data: {
      workflowId: workflow.id,
      version: 1,
      spec: toJsonInput({ ...spec, metadata: { ...spec.metadata, name } }),
      graph: {},
      hash: 'a'.repeat(64),
      publishedById: fixture.users.owner.id,
    },
  });
  return { workflowId: workflow.id, versionId: version.id };
}

/** Adds a member with `role` to the fixture's workspace. */
export async function addMember(
  db: Pick<Database, 'prisma'>,
  fixture: WorkspaceFixture,
  role: MembershipRole,
  local = `${role}-${randomUUID().slice(0, 6)}`,
): Promise<FixtureUser> {
  const email = `${local}@${fixture.slug}.test`;
  const user = await db.prisma.user.create({ data: { email, name: local, emailVerified: true } });
  await db.prisma.membership.create({ data: { workspaceId: fixture.workspaceId, userId: user.id, role } });
  return { id: user.id, email, name: local, role };
}

/** Every stored event of a run, oldest first. */
export async function runEvents(db: Pick<Database, 'prisma'>, runId: string) {
  return db.prisma.event.findMany({ where: { runId }, orderBy: { seq: 'asc' } });
}
