import type { MembershipRole } from './enums';
import type { PrismaClient } from './generated/prisma/client';
import { toJsonInput } from './json';
import { appendWorkspaceEvents, type WorkspaceEventDraft } from './workspace-events';

export interface SeedDemoWorkspaceInput {
  workspace: { name: string; slug: string };
  /** `passwordHash` is stored as the better-auth credential account's password, as is. */
  users: ReadonlyArray<{ email: string; name: string; role: MembershipRole; passwordHash: string }>;
  /** `graph` (the editor graph) and `spec` (compiled) are opaque JSON here; `hash` is the spec's SHA-256. */
  workflow: {
    name: string;
    description: string;
    ownerTeam: string;
    graph: unknown;
    spec: unknown;
    hash: string;
  };
}

export interface SeededWorkspace {
  workspaceId: string;
  /** User ids by email. */
  userIds: Record<string, string>;
  workflowId: string;
  workflowVersionId: string;
}

// Serialises seeders across processes; any constant works as long as nothing else uses it.
const seedLockKey = 0x5e_ed_0001;

/**
 * Creates the demo workspace on an empty database: users with better-auth credential accounts,
 * memberships, the workflow with its draft graph and published version 1, and the workspace's first
 * hash-chained events. Does nothing and returns null once any workspace exists, also when several
 * processes try at once.
 *
 * @example
 * const seeded = await seedDemoWorkspace(db.prisma, { workspace: { name: 'Demo', slug: 'demo' }, users, workflow });
 * if (seeded) log.info(`seeded workspace ${seeded.workspaceId}`);
 */
export async function seedDemoWorkspace(
  prisma: PrismaClient,
  input: SeedDemoWorkspaceInput,
): Promise<SeededWorkspace | null> {
  const owner = input.users.find((u) => u.role === 'owner') ?? input.users[0];
  if (!owner) throw new Error('seedDemoWorkspace needs at least one user');
  const graph = toJsonInput(input.workflow.graph);
  const spec = toJsonInput(input.workflow.spec);
  if (!/^[0-9a-f]{64}$/.test(input.workflow.hash))
    throw new Error('workflow.hash must be 64 lower-case hex digits');

  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${seedLockKey}::bigint)`;
      if ((await tx.workspace.count()) > 0) return null;

      const workspace = await tx.workspace.create({ data: input.workspace });
      const userIds: Record<string, string> = {};
      const events: WorkspaceEventDraft[] = [
        { type: 'workspace.seeded', payload: { name: workspace.name, slug: workspace.slug } },
      ];
      for (const u of input.users) {
        const user = await tx.user.create({ data: { email: u.email, name: u.name, emailVerified: true } });
        userIds[u.email] = user.id;
        await tx.account.create({
          data: { userId: user.id, providerId: 'credential', accountId: user.id, password: u.passwordHash },
        });
        await tx.membership.create({ data: { workspaceId: workspace.id, userId: user.id, role: u.role } });
        events.push({ type: 'member.added', payload: { userId: user.id, email: u.email, role: u.role } });
      }
      const ownerId = userIds[owner.email];
      if (!ownerId) throw new Error(`no user was created for ${owner.email}`);

      const workflow = await tx.workflow.create({
        data: {
          workspaceId: workspace.id,
          name: input.workflow.name,
          description: input.workflow.description,
          ownerTeam: input.workflow.ownerTeam,
          draftGraph: graph,
          createdById: ownerId,
        },
      });
      const version = await tx.workflowVersion.create({
        data: {
          workflowId: workflow.id,
          version: 1,
          spec,
          graph,
          hash: input.workflow.hash,
          publishedById: ownerId,
        },
      });
      events.push(
        {
          type: 'workflow.created',
          payload: { workflowId: workflow.id, name: workflow.name },
          actorId: ownerId,
        },
        {
          type: 'workflow.published',
          payload: { workflowId: workflow.id, workflowVersionId: version.id, version: 1, hash: version.hash },
          actorId: ownerId,
        },
      );
      await appendWorkspaceEvents(tx, workspace.id, events);
      return { workspaceId: workspace.id, userIds, workflowId: workflow.id, workflowVersionId: version.id };
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}
