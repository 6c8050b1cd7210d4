import { alertSeverities } from '@sluice/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { audit } from '../audit-log';
import { permitted } from '../init';
import { Comment, Id, Limit } from '../inputs';
import { assertWholeWorkspace, notFound, requireUser } from '../scope';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const alertRouter = {
  /** Newest first; `before` is the id of the last alert of the previous page. */
  list: permitted('alert:read')
    .input(
      z.strictObject({
        status: z.enum(['open', 'acknowledged', 'all']).default('open'),
        severity: z.enum(alertSeverities).optional(),
        runId: Id.optional(),
        limit: Limit,
        before: Id.optional(),
      }),
    )
    .query(async ({ ctx, input, path }) => {
      await assertWholeWorkspace(ctx, path, 'alert:read');
      const alerts = await ctx.db.prisma.alert.findMany({
        where: {
          workspaceId: ctx.actor.workspaceId,
          ...(input.status === 'open' ? { acknowledgedAt: null } : {}),
          ...(input.status === 'acknowledged' ? { acknowledgedAt: { not: null } } : {}),
          ...(input.severity ? { severity: input.severity } : {}),
          ...(input.runId ? { runId: input.runId } : {}),
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
        createdAt: alert.createdAt.toISOString(),
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
