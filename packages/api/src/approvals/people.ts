// Who is deciding, and who the people named in a review are now: a signed-in member decides as
// themselves; an agent token (granted `approval:decide`) decides as the member who created it, so
// separation of duties and "one person counts once" hold whichever way someone reaches the API.
import type { Database, MembershipRole } from '@sluice/db';
import { TRPCError } from '@trpc/server';
import type { AuthedContext } from '../context';

export interface Person {
  userId: string;
  email: string | null;
  role: MembershipRole | null;
}

export interface Decider {
  /** The person the decision counts for. */
  userId: string;
  /** How they reached the API (recorded with the decision). */
  via: { type: 'user' | 'token'; id: string };
}

/** The person behind the caller. */
export async function deciderOf(ctx: AuthedContext): Promise<Decider> {
  const actor = ctx.actor;
  if (actor.type === 'user') return { userId: actor.id, via: { type: 'user', id: actor.id } };
  const token = await ctx.db.prisma.apiToken.findFirst({
    where: { id: actor.id, workspaceId: actor.workspaceId },
    select: { createdById: true },
  });
  if (!token) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'this API token no longer exists' });
  return { userId: token.createdById, via: { type: 'token', id: actor.id } };
}

/** The named users as they are now in `workspaceId` (role null: no longer a member). */
export async function peopleOf(
  db: Pick<Database, 'prisma'>,
  workspaceId: string,
  userIds: readonly string[],
): Promise<Map<string, Person>> {
  const ids = [...new Set(userIds)];
  const users = await db.prisma.user.findMany({
    where: { id: { in: ids } },
    select: { id: true, email: true, memberships: { where: { workspaceId }, select: { role: true } } },
  });
  return new Map(
    users.map((u) => [u.id, { userId: u.id, email: u.email, role: u.memberships[0]?.role ?? null }]),
  );
}

/** Who published the version, and who saved the workflow's draft before it was published. */
export async function editorsOf(
  db: Pick<Database, 'prisma'>,
  workspaceId: string,
  versionId: string,
): Promise<string[]> {
  const version = await db.prisma.workflowVersion.findUnique({
    where: { id: versionId },
    select: { publishedById: true, createdAt: true, workflowId: true },
  });
  if (!version) return [];
  const edits = await db.prisma.event.findMany({
    where: {
      workspaceId,
      runId: null,
      type: { in: ['workflow.created', 'workflow.draft_saved', 'workflow.imported', 'workflow.published'] },
      payload: { path: ['workflowId'], equals: version.workflowId },
      createdAt: { lte: version.createdAt },
    },
    select: { actorId: true },
    distinct: ['actorId'],
  });
  const ids = new Set([version.publishedById]);
  for (const e of edits) if (e.actorId) ids.add(e.actorId);
  return [...ids];
}
