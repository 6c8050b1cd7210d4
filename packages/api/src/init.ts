import { initTRPC, TRPCError } from '@trpc/server';
import { recordTokenOutOfScope, recordTokenRefused, recordTokenUse } from './audit-log';
import type { Actor, Context } from './context';
import { type Permission, roleCan } from './permissions';

/** Every procedure records the permission it needs here (see `permitted`); a test walks the router. */
export interface ProcedureMeta {
  permission?: Permission;
}

/** Thrown by a procedure to refuse with diagnostics, e.g. publishing a draft that has errors. */
export class DiagnosticsError extends Error {
  constructor(
    message: string,
    readonly diagnostics: ReadonlyArray<{ code: string; severity: string; message: string; path?: unknown }>,
  ) {
    super(message);
    this.name = 'DiagnosticsError';
  }
}

/**
 * The one place tRPC is made. Routers may use only what this file exports.
 * Errors carry a code and, for bad input, the paths of the offending fields; never a stack trace.
 */
const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const { stack: _stack, ...data } = shape.data;
      const zodIssues =
        error.code === 'BAD_REQUEST' &&
        error.cause &&
        'issues' in error.cause &&
        Array.isArray(error.cause.issues)
          ? (error.cause.issues as Array<{ path: PropertyKey[]; message: string }>).map((issue) => ({
              path: issue.path.map(String).join('.'),
              message: issue.message,
            }))
          : undefined;
      const diagnostics = error.cause instanceof DiagnosticsError ? error.cause.diagnostics : undefined;
      // Unexpected errors keep their message in the server log only.
      const message = error.code === 'INTERNAL_SERVER_ERROR' ? 'internal error' : shape.message;
      return {
        ...shape,
        message,
        data: {
          ...data,
          ...(zodIssues ? { issues: zodIssues } : {}),
          ...(diagnostics ? { diagnostics } : {}),
        },
      };
    },
    sse: {
      ping: { enabled: true, intervalMs: 10_000 },
      client: { reconnectAfterInactivityMs: 25_000 },
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** For health-like procedures only; anything touching a workspace uses `permitted`. */
export const publicProcedure = t.procedure;

/**
 * A caller with an actor: a member signed in to a workspace, or a usable agent token. Refuses
 * everyone else with UNAUTHORIZED (no or unknown credentials, revoked or expired tokens — audited
 * and alerted) or FORBIDDEN (signed in but not a member of the workspace asked for).
 */
export const authedProcedure = t.procedure.use(async ({ ctx, path, next }) => {
  const identity = ctx.identity;
  switch (identity.kind) {
    case 'actor':
      return next({ ctx: { actor: identity.actor } });
    case 'refused-token':
      await recordTokenRefused(ctx, identity, path);
      throw new TRPCError({ code: 'UNAUTHORIZED', message: `this API token is ${identity.reason}` });
    case 'no-workspace':
      throw new TRPCError({ code: 'FORBIDDEN', message: 'you are not a member of this workspace' });
    case 'anonymous':
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
  }
});

/**
 * The builder every router procedure starts from: the actor must hold `permission` in its
 * workspace (a role from the permission table, or an action granted to the token). Token calls are
 * audited; a token asking beyond its actions is refused, audited and alerted.
 *
 * @example
 * list: permitted('workflow:read').query(({ ctx }) => …)
 */
export function permitted(permission: Permission) {
  return authedProcedure.meta({ permission }).use(async ({ ctx, meta, path, next }) => {
    // `.meta()` after `permitted()` must not re-label a procedure the check does not match.
    if (meta?.permission !== permission)
      throw new TRPCError({
        code: 'INTERNAL_SERVER_ERROR',
        message: `${path}: permission meta was overridden`,
      });
    const actor: Actor = ctx.actor;
    if (actor.type === 'user') {
      if (!roleCan(actor.role, permission))
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: `your role (${actor.role}) may not ${permission}`,
        });
      return next();
    }
    if (!actor.actions.some((action) => action === permission)) {
      await recordTokenOutOfScope(ctx, actor, path, { permission });
      throw new TRPCError({ code: 'FORBIDDEN', message: `this API token may not ${permission}` });
    }
    await recordTokenUse(ctx, actor, path, permission);
    return next();
  });
}
