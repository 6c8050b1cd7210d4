import { runStatuses } from '@sluice/db';
import { tracked, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { audit } from '../audit-log';
import type { AuthedContext } from '../context';
import { permitted } from '../init';
import { Id, Limit } from '../inputs';
import { type Permission, roleCan } from '../permissions';
import type { RunEngine } from '../run-engine';
import { assertWorkflowInScope, notFound, workflowScope } from '../scope';

/** A run's input: any JSON value up to 1 MB (the trigger's schema is checked by the engine). */
const RunInput = z
  .unknown()
  .refine(
    (value) => value !== undefined && JSON.stringify(value).length <= 1_000_000,
    'at most 1 MB of JSON',
  );

/** Only the part of a spec the router reads: who may start runs. */
const SpecAccess = z.object({ access: z.object({ trigger: z.array(z.string()) }) });

function requireEngine(ctx: AuthedContext): RunEngine {
  if (!ctx.services.engine)
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'the run engine is not running in this server',
    });
  return ctx.services.engine;
}

/** EngineError (packages/engine) to a tRPC error, by its code; anything else is rethrown. */
function fromEngine(error: unknown): never {
  if (error instanceof Error && error.name === 'EngineError' && 'code' in error) {
    const codes: Record<string, TRPCError['code']> = {
      VERSION_NOT_FOUND: 'NOT_FOUND',
      RUN_NOT_FOUND: 'NOT_FOUND',
      INPUT_INVALID: 'BAD_REQUEST',
      SPEC_INVALID: 'PRECONDITION_FAILED',
      ENGINE_STOPPED: 'PRECONDITION_FAILED',
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

/** The run `id` of the caller's workspace (NOT_FOUND otherwise), of a workflow within a token's scope. */
async function findRun(ctx: AuthedContext, id: string, path: string, permission: Permission) {
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
async function stillAllowed(ctx: AuthedContext, permission: Permission): Promise<boolean> {
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

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function runView(run: Awaited<ReturnType<typeof findRun>>) {
  return {
    id: run.id,
    status: run.status,
    workflowId: run.workflowVersion.workflowId,
    workflowName: run.workflowVersion.workflow.name,
    workflowVersionId: run.workflowVersionId,
    version: run.workflowVersion.version,
    runKey: run.runKey,
    initiatedById: run.initiatedById,
    parentRunId: run.parentRunId,
    lastSeq: run.lastSeq,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
  };
}

export const runRouter = {
  start: permitted('run:start')
    .input(
      z.strictObject({
        workflowId: Id,
        /** A published version; the newest when absent. */
        version: z.number().int().positive().optional(),
        input: RunInput,
        /** Idempotency: starting twice with one key gives one run. */
        runKey: z.string().min(1).max(200).optional(),
      }),
    )
    .mutation(async ({ ctx, input, path }) => {
      const workflow = await ctx.db.prisma.workflow.findFirst({
        where: { id: input.workflowId, workspaceId: ctx.actor.workspaceId },
        select: { id: true },
      });
      if (!workflow) throw notFound('workflow', input.workflowId);
      await assertWorkflowInScope(ctx, workflow.id, path, 'run:start');
      const version = await ctx.db.prisma.workflowVersion.findFirst({
        where: { workflowId: workflow.id, ...(input.version ? { version: input.version } : {}) },
        orderBy: { version: 'desc' },
        select: { id: true, version: true, spec: true },
      });
      if (!version)
        throw input.version
          ? notFound('version', `${workflow.id}@${input.version}`)
          : new TRPCError({ code: 'PRECONDITION_FAILED', message: 'this workflow has no published version' });
      // The workflow's own access list narrows who may start it; owners always may.
      const access = SpecAccess.safeParse(version.spec);
      if (ctx.actor.type === 'user' && ctx.actor.role !== 'owner') {
        const allowed = access.success ? access.data.access.trigger : [];
        if (!allowed.includes(ctx.actor.role))
          throw new TRPCError({
            code: 'FORBIDDEN',
            message: `this workflow lets ${allowed.join(', ') || 'nobody'} start runs`,
          });
      }
      const engine = requireEngine(ctx);
      const started = await engine
        .startRun({
          workflowVersionId: version.id,
          input: input.input,
          runKey: input.runKey ?? null,
          initiatedById: ctx.actor.type === 'user' ? ctx.actor.id : null,
        })
        .catch(fromEngine);
      if (started.created) {
        await ctx.db.prisma.$transaction((tx) =>
          audit(tx, ctx, [
            {
              type: 'run.started',
              payload: { runId: started.runId, workflowId: workflow.id, version: version.version },
            },
          ]),
        );
      }
      return {
        runId: started.runId,
        created: started.created,
        status: started.status,
        version: version.version,
      };
    }),

  /** Newest first; `before` is the id of the last run of the previous page. */
  list: permitted('run:read')
    .input(
      z.strictObject({
        workflowId: Id.optional(),
        status: z.array(z.enum(runStatuses)).max(runStatuses.length).optional(),
        createdAfter: z.iso.datetime().optional(),
        createdBefore: z.iso.datetime().optional(),
        initiatedById: Id.optional(),
        before: Id.optional(),
        limit: Limit,
      }),
    )
    .query(async ({ ctx, input }) => {
      const scope = workflowScope(ctx);
      const workflowIds = [
        ...(input.workflowId ? [input.workflowId] : []),
        ...(scope && !input.workflowId ? scope : []),
      ].filter((id) => scope === null || scope.includes(id));
      const runs = await ctx.db.prisma.run.findMany({
        where: {
          workspaceId: ctx.actor.workspaceId,
          ...(input.workflowId || scope ? { workflowVersion: { workflowId: { in: workflowIds } } } : {}),
          ...(input.status ? { status: { in: input.status } } : {}),
          ...(input.initiatedById ? { initiatedById: input.initiatedById } : {}),
          ...(input.createdAfter || input.createdBefore
            ? {
                createdAt: {
                  ...(input.createdAfter ? { gte: new Date(input.createdAfter) } : {}),
                  ...(input.createdBefore ? { lt: new Date(input.createdBefore) } : {}),
                },
              }
            : {}),
          ...(input.before ? { id: { lt: input.before } } : {}),
        },
        orderBy: { id: 'desc' },
        take: input.limit,
        include: {
          workflowVersion: {
            select: { version: true, workflowId: true, workflow: { select: { name: true } } },
          },
        },
      });
      return runs.map(runView);
    }),

  get: permitted('run:read')
    .input(z.strictObject({ id: Id }))
    .query(async ({ ctx, input, path }) => {
      const run = await findRun(ctx, input.id, path, 'run:read');
      const steps = await ctx.db.prisma.step.findMany({
        where: { runId: run.id },
        orderBy: [{ createdAt: 'asc' }, { nodeId: 'asc' }],
        select: { nodeId: true, status: true, attempt: true, error: true, startedAt: true, finishedAt: true },
      });
      return {
        ...runView(run),
        input: run.input,
        output: run.output,
        error: run.error,
        steps: steps.map((s) => ({ ...s, startedAt: iso(s.startedAt), finishedAt: iso(s.finishedAt) })),
      };
    }),

  cancel: permitted('run:operate')
    .input(z.strictObject({ id: Id, reason: z.string().trim().min(1).max(500).optional() }))
    .mutation(async ({ ctx, input, path }) => {
      const run = await findRun(ctx, input.id, path, 'run:operate');
      const engine = requireEngine(ctx);
      const after = await engine
        .cancelRun(run.id, { reason: input.reason ?? null, actorId: ctx.actor.id })
        .catch(fromEngine);
      await ctx.db.prisma.$transaction((tx) =>
        audit(tx, ctx, [
          { type: 'run.cancel_requested', payload: { runId: run.id, reason: input.reason ?? null } },
        ]),
      );
      return { id: run.id, status: after.status };
    }),

  /**
   * The run's events as server-sent events, each `tracked` by its sequence number: a client that
   * reconnects with its last id gets every later event once, in order. The permission is checked on
   * connect and again whenever the member's role (or the token) changes; losing it ends the stream.
   */
  watch: permitted('run:read')
    .input(
      z.strictObject({
        runId: Id,
        lastEventId: z
          .string()
          .regex(/^\d{1,10}$/)
          .nullish(),
      }),
    )
    .subscription(async function* ({ ctx, input, signal, path }) {
      const run = await findRun(ctx, input.runId, path, 'run:read');
      const engine = requireEngine(ctx);
      const stop = new AbortController();
      const onAbort = () => stop.abort();
      signal?.addEventListener('abort', onAbort);
      let revoked = false;
      const unsubscribe = ctx.services.membershipEvents.subscribe((change) => {
        if (change.workspaceId !== ctx.actor.workspaceId || change.actor.id !== ctx.actor.id) return;
        const revoke = () => {
          revoked = true;
          stop.abort();
        };
        stillAllowed(ctx, 'run:read').then((ok) => ok || revoke(), revoke);
      });
      try {
        const afterSeq = input.lastEventId ? Number(input.lastEventId) : 0;
        for await (const event of engine.subscribe(run.id, {
          afterSeq,
          signal: stop.signal,
          untilFinished: true,
        })) {
          if (revoked) break;
          yield tracked(String(event.seq), event);
        }
      } catch (error) {
        if (!stop.signal.aborted) throw error;
      } finally {
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
      }
      if (revoked) throw new TRPCError({ code: 'FORBIDDEN', message: 'your access to this run has changed' });
    }),
};
