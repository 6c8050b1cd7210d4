import { readRunStep, readRunSteps, runStatuses } from '@sluice/db';
import { type Classification, Finding, joinAll, TriggerConfig } from '@sluice/spec';
import { tracked, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { audit } from '../audit-log';
import { permitted } from '../init';
import { Id, Limit } from '../inputs';
import { readable } from '../sealed';
import { assertWorkflowInScope, notFound, workflowScope } from '../scope';
import { maskValue, mayRead, nodeLabels, specAccess, stepHistory, versionGraph } from './run-detail';
import { findRun, fromEngine, requireEngine, requireOperations } from './run-access';
import { hasLive, liveChunks } from './run-live';
import { followRun, WatchInput } from './run-watch';

/** A run's input: any JSON value up to 1 MB (the trigger's schema is checked by the engine). */
const RunInput = z
  .unknown()
  .refine(
    (value) => value !== undefined && JSON.stringify(value).length <= 1_000_000,
    'at most 1 MB of JSON',
  );

/** Only the part of a spec the router reads: who may start runs. */
const SpecAccess = z.object({ access: z.object({ trigger: z.array(z.string()) }) });

/** The trigger of a published spec: its kind and input schema. */
const SpecTrigger = z.object({ trigger: z.object({ config: TriggerConfig }) });

/** What a step row keeps beside its output (see prisma/schema.prisma `Step.meta`). */
const StepMeta = z.object({
  findings: z.array(Finding).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  tokens: z.number().optional(),
});

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
      const [steps, version, initiator] = await Promise.all([
        readRunSteps(ctx.db.prisma, run.id),
        ctx.db.prisma.workflowVersion.findUniqueOrThrow({
          where: { id: run.workflowVersionId },
          select: { graph: true, spec: true },
        }),
        run.initiatedById
          ? ctx.db.prisma.user.findUnique({ where: { id: run.initiatedById }, select: { name: true } })
          : null,
      ]);
      const graph = versionGraph(version.graph);
      const labels = nodeLabels(run.workflowVersionId, version.graph);
      const access = specAccess(version.spec);
      // The run's input is what the trigger emits; its output is what the output nodes receive.
      const labelOf = (kind: string, side: 'input' | 'output'): Classification =>
        joinAll(
          (graph?.nodes ?? [])
            .filter((node) => node.kind === kind)
            .map((node) => labels.get(node.id)?.[side] ?? 'restricted'),
        );
      const triggerLabel = labelOf('trigger', 'output');
      const outputLabel = labelOf('output', 'input');
      return {
        ...runView(run),
        initiatedByName: initiator?.name ?? null,
        input: await readable(ctx, run.input, mayRead(ctx.actor, triggerLabel, access)),
        output: await readable(ctx, run.output, mayRead(ctx.actor, outputLabel, access)),
        error: run.error,
        /** The published version's canvas, or null when its graph does not parse. */
        graph,
        steps: steps.map((s) => ({
          nodeId: s.nodeId,
          status: s.status,
          attempt: s.attempt,
          error: s.error,
          startedAt: iso(s.startedAt),
          finishedAt: iso(s.finishedAt),
        })),
      };
    }),

  /**
   * One step: its input and output (each masked, keys kept, when the caller's role may not read the
   * classification the compiler derived for it), findings and details, logs, attempts and timings.
   */
  step: permitted('run:read')
    .input(z.strictObject({ runId: Id, nodeId: z.string().min(1).max(64) }))
    .query(async ({ ctx, input, path }) => {
      const run = await findRun(ctx, input.runId, path, 'run:read');
      const [step, version, events] = await Promise.all([
        readRunStep(ctx.db.prisma, run.id, input.nodeId),
        ctx.db.prisma.workflowVersion.findUniqueOrThrow({
          where: { id: run.workflowVersionId },
          select: { graph: true, spec: true },
        }),
        ctx.db.prisma.event.findMany({
          where: { runId: run.id, workspaceId: ctx.actor.workspaceId },
          orderBy: { seq: 'asc' },
          select: { seq: true, type: true, payload: true, createdAt: true },
        }),
      ]);
      const graph = versionGraph(version.graph);
      const node = graph?.nodes.find((n) => n.id === input.nodeId);
      if (!node) throw notFound('step', `${run.id}/${input.nodeId}`);
      const labels = nodeLabels(run.workflowVersionId, version.graph).get(node.id) ?? {
        input: 'restricted' as const,
        output: 'restricted' as const,
      };
      const access = specAccess(version.spec);
      // A trigger's input is the run's input: it carries the label the trigger gives it.
      const readInput = mayRead(ctx.actor, node.kind === 'trigger' ? labels.output : labels.input, access);
      const readOutput = mayRead(ctx.actor, labels.output, access);
      const history = stepHistory(node.id, events);
      const meta = StepMeta.safeParse(step?.meta ?? {});
      const details = meta.success ? (meta.data.details ?? null) : null;
      // The trigger's input is the run's input; a step the engine ran inline holds no input of its
      // own: it is what its upstream steps emitted.
      const rawInput = node.kind === 'trigger' ? run.input : (step?.input ?? null);
      return {
        runId: run.id,
        nodeId: node.id,
        kind: node.kind,
        label: node.label,
        owner: node.owner,
        status: step?.status ?? 'pending',
        attempt: step?.attempt ?? 0,
        ports: step?.ports ?? [],
        classification: labels,
        masked: { input: !readInput, output: !readOutput },
        input: await readable(ctx, rawInput, readInput),
        output: await readable(ctx, step?.output ?? null, readOutput),
        error: step?.error ?? null,
        findings: meta.success ? (meta.data.findings ?? []) : [],
        details: details ? await readable(ctx, details, readOutput) : details,
        tokens: meta.success ? (meta.data.tokens ?? null) : null,
        createdAt: step ? step.createdAt.toISOString() : null,
        startedAt: iso(step?.startedAt ?? null),
        finishedAt: iso(step?.finishedAt ?? null),
        waitingReason: history.waitingReason,
        attempts: history.attempts,
        logs: readOutput ? history.logs : history.logs.map((log) => ({ ...log, data: maskValue(log.data) })),
      };
    }),

  /** What starting a workflow asks for: its newest published version and the trigger's input schema. */
  trigger: permitted('run:start')
    .input(z.strictObject({ workflowId: Id }))
    .query(async ({ ctx, input, path }) => {
      const workflow = await ctx.db.prisma.workflow.findFirst({
        where: { id: input.workflowId, workspaceId: ctx.actor.workspaceId },
        select: { id: true, name: true, versions: { orderBy: { version: 'desc' }, take: 1 } },
      });
      if (!workflow) throw notFound('workflow', input.workflowId);
      await assertWorkflowInScope(ctx, workflow.id, path, 'run:start');
      const latest = workflow.versions[0];
      if (!latest)
        throw new TRPCError({
          code: 'PRECONDITION_FAILED',
          message: 'this workflow has no published version',
        });
      const trigger = SpecTrigger.safeParse(latest.spec);
      return {
        workflowId: workflow.id,
        name: workflow.name,
        version: latest.version,
        type: trigger.success ? trigger.data.trigger.config.type : null,
        input: trigger.success ? trigger.data.trigger.config.input : null,
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
   * Runs a finished run again from a step (a failed step's retry, or a rerun after a fix): that step
   * and everything downstream get new attempts; upstream outputs are kept; gates ask again.
   */
  rerun: permitted('run:operate')
    .input(
      z.strictObject({
        id: Id,
        nodeId: z.string().min(1).max(64),
        reason: z.string().trim().min(1).max(500).optional(),
      }),
    )
    .mutation(async ({ ctx, input, path }) => {
      const run = await findRun(ctx, input.id, path, 'run:operate');
      const engine = requireOperations(ctx);
      const after = await engine
        .rerunFrom(run.id, input.nodeId, { reason: input.reason ?? null, actorId: ctx.actor.id })
        .catch(fromEngine);
      await ctx.db.prisma.$transaction((tx) =>
        audit(tx, ctx, [
          {
            type: 'run.rerun_requested',
            payload: { runId: run.id, nodeId: input.nodeId, reason: input.reason ?? null },
          },
        ]),
      );
      return { id: run.id, status: after.status };
    }),

  /** What rolling the run back would undo (last first) and which steps cannot be undone: shown before confirming. */
  rollbackPlan: permitted('run:operate')
    .input(z.strictObject({ id: Id }))
    .query(async ({ ctx, input, path }) => {
      const run = await findRun(ctx, input.id, path, 'run:operate');
      return requireOperations(ctx).rollbackPlan(run.id).catch(fromEngine);
    }),

  /** Undoes one succeeded step (its compensation runs and shows in the trail), or the whole run without `nodeId`. */
  rollback: permitted('run:operate')
    .input(z.strictObject({ id: Id, nodeId: z.string().min(1).max(64).optional() }))
    .mutation(async ({ ctx, input, path }) => {
      const run = await findRun(ctx, input.id, path, 'run:operate');
      const engine = requireOperations(ctx);
      await ctx.db.prisma.$transaction((tx) =>
        audit(tx, ctx, [
          { type: 'run.rollback_requested', payload: { runId: run.id, nodeId: input.nodeId ?? null } },
        ]),
      );
      const outcomes =
        input.nodeId === undefined
          ? await engine.rollbackRun(run.id, { actorId: ctx.actor.id }).catch(fromEngine)
          : [await engine.rollbackStep(run.id, input.nodeId, { actorId: ctx.actor.id }).catch(fromEngine)];
      return { id: run.id, outcomes };
    }),

  /**
   * A running step's live-only news: an AI step's reply as it is generated. Not stored and not
   * resumable (the committed reply is in `run.step`); a node whose output the caller may not read
   * sends nothing.
   */
  live: permitted('run:read')
    .input(z.strictObject({ runId: Id, nodeId: z.string().min(1).max(64).optional() }))
    .subscription(async function* ({ ctx, input, signal, path }) {
      const run = await findRun(ctx, input.runId, path, 'run:read');
      const engine = requireEngine(ctx);
      if (!hasLive(engine)) return;
      const version = await ctx.db.prisma.workflowVersion.findUniqueOrThrow({
        where: { id: run.workflowVersionId },
        select: { graph: true, spec: true },
      });
      const labels = nodeLabels(run.workflowVersionId, version.graph);
      const access = specAccess(version.spec);
      yield* liveChunks(engine, run.id, {
        ...(input.nodeId ? { nodeId: input.nodeId } : {}),
        mayRead: (nodeId) => mayRead(ctx.actor, labels.get(nodeId)?.output ?? 'restricted', access),
        ...(signal ? { signal } : {}),
      });
    }),

  /**
   * The run's events as server-sent events, each `tracked` by its sequence number: a client that
   * reconnects with its last id gets every later event once, in order. The permission is checked on
   * connect and again whenever the member's role (or the token) changes; losing it ends the stream.
   */
  watch: permitted('run:read')
    .input(WatchInput)
    .subscription(async function* ({ ctx, input, signal, path }) {
      for await (const events of followRun(ctx, input, path, signal)) {
        for (const event of events) yield tracked(String(event.seq), event);
      }
    }),
  /**
   * `watch` for clients that take events in batches (the web app): each message is every event
   * waiting when it is sent, with the last one's seq as its id, so a client that falls behind gets
   * fewer, larger messages instead of a backlog. Same resuming, authorisation and revocation.
   */
  watchBatches: permitted('run:read')
    .input(WatchInput)
    .subscription(async function* ({ ctx, input, signal, path }) {
      for await (const events of followRun(ctx, input, path, signal)) {
        const last = events.at(-1);
        if (last) yield tracked(String(last.seq), events);
      }
    }),
};
