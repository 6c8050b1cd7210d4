import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { audit } from '../audit-log';
import { generateToken } from '../auth/api-tokens';
import { permitted } from '../init';
import { Id, Name } from '../inputs';
import { TokenAction } from '../permissions';
import { notFound, requireUser } from '../scope';

const DAY_MS = 24 * 60 * 60 * 1000;
/** No token lives longer than a year: an agent that runs longer gets a new one. */
const MAX_DAYS = 366;

const tokenView = {
  id: true,
  name: true,
  prefix: true,
  actions: true,
  workflowIds: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdBy: { select: { id: true, name: true, email: true } },
} as const;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const tokenRouter = {
  list: permitted('token:read').query(async ({ ctx }) => {
    const now = Date.now();
    const tokens = await ctx.db.prisma.apiToken.findMany({
      where: { workspaceId: ctx.actor.workspaceId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: tokenView,
    });
    return tokens.map((token) => ({
      ...token,
      createdAt: token.createdAt.toISOString(),
      expiresAt: token.expiresAt.toISOString(),
      lastUsedAt: iso(token.lastUsedAt),
      revokedAt: iso(token.revokedAt),
      status: token.revokedAt ? 'revoked' : token.expiresAt.getTime() <= now ? 'expired' : 'active',
    }));
  }),

  /** Creates a token and returns its secret: the only time it is shown. */
  create: permitted('token:manage')
    .input(
      z.strictObject({
        name: Name,
        actions: z
          .array(TokenAction)
          .min(1)
          .max(TokenAction.options.length)
          .refine((list) => new Set(list).size === list.length, 'an action is listed twice'),
        /** Limit the token to these workflows of the workspace; empty or absent: all of them. */
        workflowIds: z.array(Id).max(100).optional(),
        expiresInDays: z.number().int().min(1).max(MAX_DAYS),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const creator = requireUser(ctx);
      const workflowIds = [...new Set(input.workflowIds ?? [])];
      if (workflowIds.length > 0) {
        const found = await ctx.db.prisma.workflow.count({
          where: { id: { in: workflowIds }, workspaceId: ctx.actor.workspaceId },
        });
        if (found !== workflowIds.length)
          throw new TRPCError({ code: 'NOT_FOUND', message: 'a listed workflow was not found' });
      }
      const { token, hash, prefix } = generateToken();
      const expiresAt = new Date(Date.now() + input.expiresInDays * DAY_MS);
      const row = await ctx.db.prisma.$transaction(async (tx) => {
        const created = await tx.apiToken.create({
          data: {
            workspaceId: ctx.actor.workspaceId,
            name: input.name,
            tokenHash: hash,
            prefix,
            actions: input.actions,
            workflowIds,
            createdById: creator.id,
            expiresAt,
          },
          select: { id: true },
        });
        await audit(tx, ctx, [
          {
            type: 'token.created',
            payload: {
              tokenId: created.id,
              name: input.name,
              prefix,
              actions: input.actions,
              workflowIds,
              expiresAt: expiresAt.toISOString(),
            },
          },
        ]);
        return created;
      });
      return { id: row.id, name: input.name, prefix, token, expiresAt: expiresAt.toISOString() };
    }),

  revoke: permitted('token:manage')
    .input(z.strictObject({ id: Id }))
    .mutation(async ({ ctx, input }) => {
      const user = requireUser(ctx);
      const revoked = await ctx.db.prisma.$transaction(async (tx) => {
        const token = await tx.apiToken.findFirst({
          where: { id: input.id, workspaceId: ctx.actor.workspaceId },
          select: { id: true, name: true, revokedAt: true },
        });
        if (!token) throw notFound('token', input.id);
        if (token.revokedAt) return { id: token.id, revokedAt: token.revokedAt.toISOString() };
        const revokedAt = new Date();
        await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt, revokedById: user.id } });
        await audit(tx, ctx, [{ type: 'token.revoked', payload: { tokenId: token.id, name: token.name } }]);
        return { id: token.id, revokedAt: revokedAt.toISOString() };
      });
      ctx.services.membershipEvents.publish({
        workspaceId: ctx.actor.workspaceId,
        actor: { type: 'token', id: revoked.id },
        role: null,
      });
      return revoked;
    }),
};
