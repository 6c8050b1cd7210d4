import { randomBytes } from 'node:crypto';
import { type MembershipRole, membershipRoles, type Prisma } from '@sluice/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { audit } from '../audit-log';
import { hashPassword } from '../auth/password';
import type { AuthedContext } from '../context';
import { permitted } from '../init';
import { Id, Name } from '../inputs';
import { notFound } from '../scope';

const Role = z.enum(membershipRoles);
const Email = z.string().max(320).trim().toLowerCase().pipe(z.email().max(254));

/**
 * Locks the workspace row, then checks that `userId` is a member and that the change leaves at
 * least one owner. The lock makes two owners demoting each other at once take turns.
 */
async function lockedMembership(tx: Prisma.TransactionClient, ctx: AuthedContext, userId: string) {
  await tx.$queryRaw`SELECT id FROM workspaces WHERE id = ${ctx.actor.workspaceId} FOR UPDATE`;
  const membership = await tx.membership.findUnique({
    where: { workspaceId_userId: { workspaceId: ctx.actor.workspaceId, userId } },
    include: { user: { select: { email: true } } },
  });
  if (!membership) throw notFound('member', userId);
  return membership;
}

async function assertNotLastOwner(tx: Prisma.TransactionClient, ctx: AuthedContext, role: MembershipRole) {
  if (role !== 'owner') return;
  const owners = await tx.membership.count({ where: { workspaceId: ctx.actor.workspaceId, role: 'owner' } });
  if (owners <= 1)
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'a workspace needs an owner: make someone else owner first',
    });
}

export const memberRouter = {
  list: permitted('member:read').query(async ({ ctx }) => {
    const members = await ctx.db.prisma.membership.findMany({
      where: { workspaceId: ctx.actor.workspaceId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
    });
    return members.map((m) => ({
      userId: m.user.id,
      name: m.user.name,
      email: m.user.email,
      role: m.role,
      since: m.createdAt.toISOString(),
    }));
  }),

  /**
   * Adds a member. A new user gets a random one-time password, returned here once and stored only
   * as a hash; an existing user (a member elsewhere) keeps theirs.
   */
  invite: permitted('member:manage')
    .input(z.strictObject({ email: Email, name: Name, role: Role }))
    .mutation(async ({ ctx, input }) => {
      const existing = await ctx.db.prisma.user.findUnique({
        where: { email: input.email },
        select: { id: true },
      });
      const temporaryPassword = existing ? null : randomBytes(18).toString('base64url');
      const passwordHash = temporaryPassword ? await hashPassword(temporaryPassword) : null;
      const userId = await ctx.db.prisma
        .$transaction(async (tx) => {
          let id = existing?.id;
          if (!id) {
            const user = await tx.user.create({
              data: { email: input.email, name: input.name, emailVerified: true },
            });
            await tx.account.create({
              data: { userId: user.id, providerId: 'credential', accountId: user.id, password: passwordHash },
            });
            id = user.id;
          }
          const already = await tx.membership.findUnique({
            where: { workspaceId_userId: { workspaceId: ctx.actor.workspaceId, userId: id } },
          });
          if (already)
            throw new TRPCError({ code: 'CONFLICT', message: `${input.email} is already a member` });
          await tx.membership.create({
            data: { workspaceId: ctx.actor.workspaceId, userId: id, role: input.role },
          });
          await audit(tx, ctx, [
            {
              type: 'member.invited',
              payload: { userId: id, email: input.email, role: input.role, newUser: !existing },
            },
          ]);
          return id;
        })
        .catch((error: unknown) => {
          // Someone invited the same new address at the same instant.
          if (error instanceof Error && 'code' in error && error.code === 'P2002')
            throw new TRPCError({ code: 'CONFLICT', message: `${input.email} was just invited` });
          throw error;
        });
      return { userId, email: input.email, role: input.role, temporaryPassword };
    }),

  changeRole: permitted('member:manage')
    .input(z.strictObject({ userId: Id, role: Role }))
    .mutation(async ({ ctx, input }) => {
      const from = await ctx.db.prisma.$transaction(async (tx) => {
        const membership = await lockedMembership(tx, ctx, input.userId);
        if (membership.role === input.role) return membership.role;
        await assertNotLastOwner(tx, ctx, membership.role);
        await tx.membership.update({ where: { id: membership.id }, data: { role: input.role } });
        await audit(tx, ctx, [
          {
            type: 'member.role_changed',
            payload: {
              userId: input.userId,
              email: membership.user.email,
              from: membership.role,
              to: input.role,
            },
          },
        ]);
        return membership.role;
      });
      if (from !== input.role)
        ctx.services.membershipEvents.publish({
          workspaceId: ctx.actor.workspaceId,
          actor: { type: 'user', id: input.userId },
          role: input.role,
        });
      return { userId: input.userId, from, role: input.role };
    }),

  remove: permitted('member:manage')
    .input(z.strictObject({ userId: Id }))
    .mutation(async ({ ctx, input }) => {
      await ctx.db.prisma.$transaction(async (tx) => {
        const membership = await lockedMembership(tx, ctx, input.userId);
        await assertNotLastOwner(tx, ctx, membership.role);
        await tx.membership.delete({ where: { id: membership.id } });
        await audit(tx, ctx, [
          {
            type: 'member.removed',
            payload: { userId: input.userId, email: membership.user.email, role: membership.role },
          },
        ]);
      });
      ctx.services.membershipEvents.publish({
        workspaceId: ctx.actor.workspaceId,
        actor: { type: 'user', id: input.userId },
        role: null,
      });
      return { userId: input.userId, removed: true };
    }),
};
