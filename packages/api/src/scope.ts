// Narrowing by workflow: an agent token may be limited to some workflows of its workspace.
import { TRPCError } from '@trpc/server';
import { recordTokenOutOfScope } from './audit-log';
import type { AuthedContext } from './context';
import type { Permission } from './permissions';

/** The workflows a caller may see: null for all of the workspace, else the token's list. */
export function workflowScope(ctx: AuthedContext): readonly string[] | null {
  return ctx.actor.type === 'token' && ctx.actor.workflowIds.length > 0 ? ctx.actor.workflowIds : null;
}

/**
 * Refuses (FORBIDDEN, audited and alerted) a token limited to other workflows. Call it after the
 * workflow was found in the caller's workspace, so that ids of other workspaces stay NOT_FOUND.
 */
export async function assertWorkflowInScope(
  ctx: AuthedContext,
  workflowId: string,
  path: string,
  permission: Permission,
): Promise<void> {
  const scope = workflowScope(ctx);
  if (scope === null || scope.includes(workflowId) || ctx.actor.type !== 'token') return;
  await recordTokenOutOfScope(ctx, ctx.actor, path, { permission, workflowId });
  throw new TRPCError({ code: 'FORBIDDEN', message: 'this API token may not use this workflow' });
}

/** NOT_FOUND for an id that is missing or belongs to another workspace: the two look alike. */
export function notFound(what: string, id: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `${what} ${id} not found` });
}

/** The signed-in member behind a change only people may make (tokens are never granted these). */
export function requireUser(ctx: AuthedContext): Extract<AuthedContext['actor'], { type: 'user' }> {
  if (ctx.actor.type !== 'user')
    throw new TRPCError({ code: 'FORBIDDEN', message: 'only a signed-in member may do this' });
  return ctx.actor;
}

/**
 * Refuses (FORBIDDEN, audited and alerted) a token limited to some workflows asking for something
 * of the whole workspace, such as its own audit chain or its alerts.
 */
export async function assertWholeWorkspace(
  ctx: AuthedContext,
  path: string,
  permission: Permission,
): Promise<void> {
  if (ctx.actor.type !== 'token' || workflowScope(ctx) === null) return;
  await recordTokenOutOfScope(ctx, ctx.actor, path, { permission });
  throw new TRPCError({ code: 'FORBIDDEN', message: 'this API token is limited to some workflows' });
}
