import { permitted } from '../init';
import { permissions, permissionsOf } from '../permissions';

export const sessionRouter = {
  /**
   * Who the caller is, in which workspace, and what they may do there (for the UI to hide what would
   * be refused; the server checks every call regardless). Members also get their other workspaces.
   */
  me: permitted('workspace:read').query(async ({ ctx }) => {
    const actor = ctx.actor;
    const workspace = await ctx.db.prisma.workspace.findUniqueOrThrow({
      where: { id: actor.workspaceId },
      select: { id: true, name: true, slug: true },
    });
    if (actor.type === 'token') {
      return {
        actor: { type: 'token' as const, id: actor.id, name: actor.name, email: null, role: null },
        workspace,
        permissions: permissions.filter((p) => actor.actions.some((a) => a === p)),
        workspaces: [{ ...workspace, role: null }],
      };
    }
    const memberships = await ctx.db.prisma.membership.findMany({
      where: { userId: actor.id },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { role: true, workspace: { select: { id: true, name: true, slug: true } } },
    });
    return {
      actor: { type: 'user' as const, id: actor.id, name: actor.name, email: actor.email, role: actor.role },
      workspace,
      permissions: permissionsOf(actor.role),
      workspaces: memberships.map((m) => ({ ...m.workspace, role: m.role })),
    };
  }),
};
