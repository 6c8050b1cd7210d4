// The alerts of a workspace: the list (with where each points: run and node) and acknowledging one.
// An alert has two independent ends: the monitor resolves it when its condition clears
// (`resolvedAt`), and a person acknowledges it with a comment (`acknowledgedAt`).
import { alertSeverities } from '@sluice/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { audit } from '../audit-log';
import { permitted } from '../init';
import { Comment, Id, Limit } from '../inputs';
import { assertWholeWorkspace, notFound, requireUser } from '../scope';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * Which alerts `list` returns:
 * - `open` (default): needs attention now: neither resolved nor acknowledged;
 * - `resolved`: the monitor saw the condition clear; `active`: it has not (acknowledged or not);
 * - `unacknowledged` / `acknowledged`: whether a person has acknowledged it;
 * - `all`.
 */
export const AlertStatusFilter = z.enum([
  'open',
  'active',
  'resolved',
  'unacknowledged',
  'acknowledged',
  'all',
]);
export type AlertStatusFilter = z.infer<typeof AlertStatusFilter>;

function statusWhere(status: AlertStatusFilter) {
  switch (status) {
    case 'open':
      return { acknowledgedAt: null, resolvedAt: null };
    case 'active':
      return { resolvedAt: null };
    case 'resolved':
      return { resolvedAt: { not: null } };
    case 'unacknowledged':
      return { acknowledgedAt: null };
    case 'acknowledged':
      return { acknowledgedAt: { not: null } };
    case 'all':
      return {};
  }
}

export const alertRouter = {
  /**
   * Newest first; `before` is the id of the last alert of the previous page. Each alert says which
   * condition it stands for (`dedupeKey`, null for one-off alerts), the run and node it names, and
   * when it was resolved and acknowledged.
   */
  list: permitted('alert:read')
    .input(
      z.strictObject({
        status: AlertStatusFilter.default('open'),
        severity: z.enum(alertSeverities).optional(),
        runId: Id.optional(),
        /** One alert by id (the alerts page opened from a badge). */
        id: Id.optional(),
        limit: Limit,
        before: Id.optional(),
      }),
    )
    .query(async ({ ctx, input, path }) => {
      await assertWholeWorkspace(ctx, path, 'alert:read');
      const alerts = await ctx.db.prisma.alert.findMany({
        where: {
          workspaceId: ctx.actor.workspaceId,
          ...statusWhere(input.status),
          ...(input.severity ? { severity: input.severity } : {}),
          ...(input.runId ? { runId: input.runId } : {}),
          ...(input.id ? { id: input.id } : {}),
          ...(input.before ? { id: { lt: input.before } } : {}),
        },
        orderBy: { id: 'desc' },
        take: input.limit,
      });
      return alerts.map((alert) => ({
        id: alert.id,
        kind: alert.kind,
        severity: alert.severity,
        message: alert.message,
        details: alert.details,
        runId: alert.runId,
        nodeId: alert.nodeId,
        dedupeKey: alert.dedupeKey,
        createdAt: alert.createdAt.toISOString(),
        resolvedAt: iso(alert.resolvedAt),
        acknowledgedAt: iso(alert.acknowledgedAt),
        acknowledgedById: alert.acknowledgedById,
        comment: alert.comment,
      }));
    }),

  /** Marks an alert as seen, with what was done about it; recorded in the audit trail. */
  acknowledge: permitted('alert:ack')
    .input(z.strictObject({ id: Id, comment: Comment }))
    .mutation(async ({ ctx, input }) => {
      const user = requireUser(ctx);
      return ctx.db.prisma.$transaction(async (tx) => {
        const alert = await tx.alert.findFirst({
          where: { id: input.id, workspaceId: ctx.actor.workspaceId },
          select: { id: true, kind: true },
        });
        if (!alert) throw notFound('alert', input.id);
        const acknowledgedAt = new Date();
        // Conditional on still being open: of two people acknowledging at once, one wins.
        const { count } = await tx.alert.updateMany({
          where: { id: alert.id, acknowledgedAt: null },
          data: { acknowledgedAt, acknowledgedById: user.id, comment: input.comment },
        });
        if (count === 0)
          throw new TRPCError({ code: 'CONFLICT', message: 'this alert was already acknowledged' });
        await audit(tx, ctx, [
          {
            type: 'alert.acknowledged',
            payload: { alertId: alert.id, kind: alert.kind, comment: input.comment },
          },
        ]);
        return { id: alert.id, acknowledgedAt: acknowledgedAt.toISOString() };
      });
    }),
};
