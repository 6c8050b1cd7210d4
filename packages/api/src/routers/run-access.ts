// What every run procedure needs: the run of the caller's workspace (and a token's scope), the
// engine of this server, engine errors as tRPC errors, and a permission re-read after a role change.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { AuthedContext } from '../context';
import { type Permission, roleCan } from '../permissions';
import type { RunEngine } from '../run-engine';
import { assertWorkflowInScope, notFound } from '../scope';

export function requireEngine(ctx: AuthedContext): RunEngine {
  if (!ctx.services.engine)
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'the run engine is not running in this server',
    });
  return ctx.services.engine;
}

/** The engine's operator actions, or PRECONDITION_FAILED when this server runs without them. */
export function requireOperations(ctx: AuthedContext) {
  const engine = requireEngine(ctx);
  const { rerunFrom, rollbackPlan, rollbackStep, rollbackRun } = engine;
  if (!rerunFrom || !rollbackPlan || !rollbackStep || !rollbackRun) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'this server runs no engine that can rerun or roll back runs',
    });
  }
  return {
    rerunFrom: rerunFrom.bind(engine),
    rollbackPlan: rollbackPlan.bind(engine),
    rollbackStep: rollbackStep.bind(engine),
    rollbackRun: rollbackRun.bind(engine),
  };
}

/** EngineError (packages/engine) to a tRPC error, by its code; anything else is rethrown. */
export function fromEngine(error: unknown): never {
  if (error instanceof Error && error.name === 'EngineError' && 'code' in error) {
    const codes: Record<string, TRPCError['code']> = {
      VERSION_NOT_FOUND: 'NOT_FOUND',
      RUN_NOT_FOUND: 'NOT_FOUND',
      INPUT_INVALID: 'BAD_REQUEST',
      SPEC_INVALID: 'PRECONDITION_FAILED',
      ENGINE_STOPPED: 'PRECONDITION_FAILED',
      STEP_NOT_FOUND: 'NOT_FOUND',
      RUN_ACTIVE: 'CONFLICT',
      NOT_REVERSIBLE: 'PRECONDITION_FAILED',
      TIMEOUT: 'TIMEOUT',
    };
    const issues =
      'details' in error
        ? z.object({ issues: z.array(z.string()).optional() }).safeParse(error.details)
        : null;
    const detail = issues?.success && issues.data.issues?.length ? `: ${issues.data.issues.join('; ')}` : '';
    throw new TRPCError({
      code: codes[String(error.code)] ?? 'INTERNAL_SERVER_ERROR',
      message: `${error.message}${detail}`,
    });
  }
  throw error;
}

/** Run statuses after which no event is appended. */
export const FINISHED_RUNS: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);

/** The run `id` of the caller's workspace (NOT_FOUND otherwise), of a workflow within a token's scope. */
export async function findRun(ctx: AuthedContext, id: string, path: string, permission: Permission) {
  const run = await ctx.db.prisma.run.findFirst({
    where: { id, workspaceId: ctx.actor.workspaceId },
    include: {
      workflowVersion: { select: { version: true, workflowId: true, workflow: { select: { name: true } } } },
    },
  });
  if (!run) throw notFound('run', id);
  await assertWorkflowInScope(ctx, run.workflowVersion.workflowId, path, permission);
  return run;
}

/** Whether the caller still holds `permission`, read afresh (a role may have changed since connect). */
export async function stillAllowed(ctx: AuthedContext, permission: Permission): Promise<boolean> {
  const actor = ctx.actor;
  if (actor.type === 'user') {
    const membership = await ctx.db.prisma.membership.findUnique({
      where: { workspaceId_userId: { workspaceId: actor.workspaceId, userId: actor.id } },
    });
    return membership !== null && roleCan(membership.role, permission);
  }
  const token = await ctx.db.prisma.apiToken.findUnique({ where: { id: actor.id } });
  return (
    token !== null &&
    token.revokedAt === null &&
    token.expiresAt > new Date() &&
    token.actions.includes(permission)
  );
}
