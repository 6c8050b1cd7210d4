// Workspace-wide live news: `workspace.news` tells a signed-in member (or an agent token of the whole
// workspace) that the runs, approvals or alerts of THEIR workspace changed, so open lists refetch
// when told. Notices carry no data: what a list shows is read through its own query, under its own
// permission. Only the kinds the caller may read are sent. Like `run.watch`, access is checked on
// connect and again whenever the member's role (or the token) changes: a removed member, a changed
// role or a revoked or expired token ends the stream (a reconnect gets the new role's kinds).
//
// For clients: each (re)connection first yields `{ type: 'ready', kinds }` (refetch everything: notices
// may have been missed while disconnected), then `{ type: 'changed', kind }` as things change.
import { TRPCError } from '@trpc/server';
import { recordTokenRefused } from '../audit-log';
import { whenTokenExpires } from '../auth/token-expiry';
import type { Actor, AuthedContext } from '../context';
import { permitted } from '../init';
import { type Permission, roleCan } from '../permissions';
import { assertWholeWorkspace } from '../scope';
import { type NewsKind, newsKinds, workspaceNewsFor } from './workspace-news-hub';

/** The permission that lets a caller hear each kind of news. */
const KIND_PERMISSION = {
  runs: 'run:read',
  approvals: 'approval:read',
  alerts: 'alert:read',
} as const satisfies Record<NewsKind, Permission>;

/** What the stream yields. */
export type WorkspaceNotice = { type: 'ready'; kinds: NewsKind[] } | { type: 'changed'; kind: NewsKind };

function holds(actor: Actor, permission: Permission): boolean {
  return actor.type === 'user'
    ? roleCan(actor.role, permission)
    : actor.actions.some((action) => action === permission);
}

/** Whether the caller's access is as it was on connect, read afresh: same role, token still usable. */
async function unchanged(ctx: AuthedContext): Promise<boolean> {
  const actor = ctx.actor;
  if (actor.type === 'user') {
    const membership = await ctx.db.prisma.membership.findUnique({
      where: { workspaceId_userId: { workspaceId: actor.workspaceId, userId: actor.id } },
      select: { role: true },
    });
    return membership?.role === actor.role;
  }
  const token = await ctx.db.prisma.apiToken.findUnique({
    where: { id: actor.id },
    select: { revokedAt: true, expiresAt: true },
  });
  return token !== null && token.revokedAt === null && token.expiresAt > new Date();
}

export const workspaceRouter = {
  /** Notices that this workspace's runs, approvals or alerts changed (see the header). */
  news: permitted('workspace:read').subscription(async function* ({ ctx, signal, path }) {
    await assertWholeWorkspace(ctx, path, 'workspace:read');
    const workspaceId = ctx.actor.workspaceId;
    const kinds = newsKinds.filter((kind) => holds(ctx.actor, KIND_PERMISSION[kind]));
    const hub = workspaceNewsFor(ctx.db, ctx.services.engine);

    const pending = new Set<NewsKind>();
    let wake: (() => void) | undefined;
    let revoked = false;
    let expired = false;
    const nudge = () => {
      const resolve = wake;
      wake = undefined;
      resolve?.();
    };
    const stopNews = hub.subscribe(workspaceId, (kind) => {
      if (!kinds.includes(kind)) return;
      pending.add(kind);
      nudge();
    });
    const stopMembership = ctx.services.membershipEvents.subscribe((change) => {
      if (change.workspaceId !== workspaceId || change.actor.id !== ctx.actor.id) return;
      const revoke = () => {
        revoked = true;
        nudge();
      };
      unchanged(ctx).then((same) => same || revoke(), revoke);
    });
    const cancelExpiry = whenTokenExpires(ctx.actor, () => {
      expired = true;
      nudge();
    });
    signal?.addEventListener('abort', nudge);
    try {
      await hub.baseline(workspaceId);
      yield { type: 'ready', kinds } satisfies WorkspaceNotice as WorkspaceNotice;
      while (!signal?.aborted && !revoked && !expired) {
        const [kind] = pending;
        if (kind === undefined) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        pending.delete(kind);
        yield { type: 'changed', kind } satisfies WorkspaceNotice as WorkspaceNotice;
      }
    } finally {
      stopNews();
      stopMembership();
      cancelExpiry();
      signal?.removeEventListener('abort', nudge);
    }
    if (expired && ctx.actor.type === 'token') {
      await recordTokenRefused(ctx, { tokenId: ctx.actor.id, workspaceId, reason: 'expired' } as const, path);
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'this API token is expired' });
    }
    if (revoked)
      throw new TRPCError({ code: 'FORBIDDEN', message: 'your access to this workspace has changed' });
  }),
};
