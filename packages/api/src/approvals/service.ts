// The approvals service behind the approval router: the inbox, one review or task in detail, and
// deciding or answering. Every decision goes through engine.resolveWait, so it is judged under the
// run's lock against the wait as it is at that moment: of many concurrent calls exactly one outcome
// is recorded, and everyone else is told why nothing happened.
import type { Engine, WaitDecisionContext, WaitResolution } from '@sluice/engine';
import {
  countedApprovers,
  currentApprovers,
  type DecideResult,
  gateEligibility,
  GatePayload,
  GateRequest,
  GateState,
  type AnswerResult,
  TaskPayload,
  TaskRequest,
  TaskState,
  taskEligibility,
} from '@sluice/nodes/server';
import { Finding, Spec } from '@sluice/spec';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { AuthedContext } from '../context';
import type { Permission } from '../permissions';
import { readable } from '../sealed';
import { assertWorkflowInScope, notFound, workflowScope } from '../scope';
import { gateDecider, taskDecider } from './deciders';
import { type Decider, deciderOf, editorsOf, type Person, peopleOf } from './people';

/** What the service needs of the engine. */
export type WaitEngine = Pick<Engine, 'resolveWait'>;

function hasResolveWait(engine: unknown): engine is WaitEngine {
  return (
    typeof engine === 'object' &&
    engine !== null &&
    'resolveWait' in engine &&
    typeof engine.resolveWait === 'function'
  );
}

function waitEngine(ctx: AuthedContext): WaitEngine {
  const engine = ctx.services.engine;
  if (!hasResolveWait(engine)) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'this server runs no engine: decisions cannot be applied',
    });
  }
  return engine;
}

const WaitKey = { runId: z.string().min(1).max(64), nodeId: z.string().min(1).max(64) };

/** Inbox filters. `mine`: only what the caller may decide now. */
export const InboxInput = z.strictObject({
  kind: z.enum(['gate', 'human']).optional(),
  status: z.enum(['open', 'resolved', 'cancelled', 'all']).default('open'),
  workflowId: z.string().min(1).max(64).optional(),
  mine: z.boolean().default(false),
  limit: z.number().int().min(1).max(200).default(50),
});
export type InboxInput = z.infer<typeof InboxInput>;

export const WaitRef = z.strictObject(WaitKey);

/** A decision at a gate: the client sends the payload hash it showed the reviewer. */
export const DecideInput = z.strictObject({
  ...WaitKey,
  verdict: z.enum(['approve', 'reject']),
  /** Required (non-blank) on reject. */
  comment: z.string().max(2000).default(''),
  payloadHash: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 (hex) of the payload you were shown'),
});

/** An answer to a human task, checked against the task's form. */
export const AnswerInput = z.strictObject({
  ...WaitKey,
  answer: z.json(),
  payloadHash: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 (hex) of the task you were shown'),
});

interface Loaded {
  wait: {
    runId: string;
    nodeId: string;
    workspaceId: string;
    kind: 'gate' | 'human';
    status: 'open' | 'resolved' | 'cancelled';
    attempt: number;
    payload: unknown;
    payloadHash: string;
    request: unknown;
    state: unknown;
    expiresAt: Date | null;
    createdAt: Date;
    resolvedAt: Date | null;
  };
  run: { id: string; initiatedById: string | null; status: string; workflowVersionId: string };
  version: { id: string; version: number; workflowId: string; workflowName: string; spec: unknown };
}

async function loadWaits(
  ctx: AuthedContext,
  where: Record<string, unknown>,
  take: number,
): Promise<Loaded[]> {
  const rows = await ctx.db.prisma.wait.findMany({
    where: { workspaceId: ctx.actor.workspaceId, ...where },
    orderBy: { createdAt: 'desc' },
    take,
  });
  if (rows.length === 0) return [];
  // A confidential step's payload is encrypted at rest; whoever may read approvals may read it.
  const waits = await Promise.all(
    rows.map(async (w) => ({ ...w, payload: await readable(ctx, w.payload, true) })),
  );
  const runs = await ctx.db.prisma.run.findMany({
    where: { id: { in: [...new Set(waits.map((w) => w.runId))] }, workspaceId: ctx.actor.workspaceId },
    select: {
      id: true,
      initiatedById: true,
      status: true,
      workflowVersionId: true,
      workflowVersion: {
        select: {
          id: true,
          version: true,
          workflowId: true,
          spec: true,
          workflow: { select: { name: true } },
        },
      },
    },
  });
  const byId = new Map(runs.map((r) => [r.id, r]));
  return waits.flatMap((wait) => {
    const run = byId.get(wait.runId);
    if (!run) return [];
    const v = run.workflowVersion;
    return [
      {
        wait,
        run: {
          id: run.id,
          initiatedById: run.initiatedById,
          status: run.status,
          workflowVersionId: run.workflowVersionId,
        },
        version: {
          id: v.id,
          version: v.version,
          workflowId: v.workflowId,
          workflowName: v.workflow.name,
          spec: v.spec,
        },
      },
    ];
  });
}

async function loadOne(
  ctx: AuthedContext,
  runId: string,
  nodeId: string,
  path: string,
  permission: Permission,
) {
  const [found] = await loadWaits(ctx, { runId, nodeId }, 1);
  if (!found) throw notFound('wait', `${runId}/${nodeId}`);
  await assertWorkflowInScope(ctx, found.version.workflowId, path, permission);
  return found;
}

function upstreamOwners(spec: unknown, nodeId: string): string[] {
  const parsed = Spec.safeParse(spec);
  if (!parsed.success) return [];
  const owners = new Set<string>();
  for (const edge of parsed.data.edges) {
    if (edge.to.node !== nodeId) continue;
    const from = edge.from.node;
    const owner =
      from === parsed.data.trigger.id ? parsed.data.trigger.owner : parsed.data.nodes[from]?.owner;
    if (owner) owners.add(owner);
  }
  return [...owners];
}

function labelOf(spec: unknown, nodeId: string): string {
  const parsed = Spec.safeParse(spec);
  return parsed.success ? (parsed.data.nodes[nodeId]?.label ?? nodeId) : nodeId;
}

/** Whether `person` may decide this wait now, and why (or why not), in words. */
async function standing(
  ctx: AuthedContext,
  item: Loaded,
  person: Person,
  editors: () => Promise<string[]>,
): Promise<{ mayDecide: boolean; why: string; approvals?: number; quorum?: number }> {
  if (item.wait.status !== 'open')
    return {
      mayDecide: false,
      why: `this ${item.wait.kind === 'gate' ? 'review' : 'task'} is ${item.wait.status}`,
    };
  if (item.wait.kind === 'human') {
    const request = TaskRequest.parse(item.wait.request);
    const eligible = taskEligibility(request, person);
    return eligible.eligible
      ? {
          mayDecide: true,
          why: `you may answer: ${request.assignees.length > 0 ? 'you are named' : `you are a ${request.role}`}`,
        }
      : { mayDecide: false, why: eligible.reason };
  }
  const request = GateRequest.parse(item.wait.request);
  const state = GateState.parse(item.wait.state);
  const exclusions = {
    initiatorId: item.run.initiatedById,
    upstreamOwners: upstreamOwners(item.version.spec, item.wait.nodeId),
    editorIds: request.separationOfDuties.excludeEditors ? await editors() : [],
  };
  const people = await peopleOf(
    ctx.db,
    ctx.actor.workspaceId,
    state.decisions.map((d) => d.userId),
  );
  const approvals = countedApprovers({
    request,
    state,
    payloadHash: item.wait.payloadHash,
    exclusions,
    memberOf: (id) => people.get(id) ?? null,
  }).length;
  const tally = { approvals, quorum: request.quorum };
  const eligible = gateEligibility(request, state, person, exclusions);
  if (!eligible.eligible) return { mayDecide: false, why: eligible.reason, ...tally };
  const earlier = state.decisions.find(
    (d) => d.userId === person.userId && d.payloadHash === item.wait.payloadHash,
  );
  if (earlier) return { mayDecide: false, why: `you already decided (${earlier.verdict})`, ...tally };
  return {
    mayDecide: true,
    why: 'you are an approver and separation of duties does not exclude you',
    ...tally,
  };
}

async function personOf(ctx: AuthedContext, decider: Decider): Promise<Person> {
  return (
    (await peopleOf(ctx.db, ctx.actor.workspaceId, [decider.userId])).get(decider.userId) ?? {
      userId: decider.userId,
      email: null,
      role: null,
    }
  );
}

/** The inbox: waits of the workspace (newest first), each with whether the caller may decide it. */
export async function inbox(ctx: AuthedContext, input: InboxInput) {
  const scope = workflowScope(ctx);
  const where = {
    ...(input.status === 'all' ? {} : { status: input.status }),
    ...(input.kind ? { kind: input.kind } : {}),
  };
  // Filters on the workflow apply after the join: read a little more to fill the page.
  const rows = await loadWaits(
    ctx,
    where,
    input.workflowId || scope || input.mine ? input.limit * 4 : input.limit,
  );
  const person = await personOf(ctx, await deciderOf(ctx));
  const out = [];
  for (const item of rows) {
    if (input.workflowId && item.version.workflowId !== input.workflowId) continue;
    if (scope && !scope.includes(item.version.workflowId)) continue;
    const s = await standing(ctx, item, person, () =>
      editorsOf(ctx.db, ctx.actor.workspaceId, item.version.id),
    );
    if (input.mine && !s.mayDecide) continue;
    out.push({ ...summaryOf(item), ...s });
    if (out.length >= input.limit) break;
  }
  return out;
}

function summaryOf(item: Loaded) {
  const { wait, version } = item;
  const title =
    wait.kind === 'gate'
      ? GatePayload.safeParse(wait.payload).data?.summary || labelOf(version.spec, wait.nodeId)
      : (TaskPayload.safeParse(wait.payload).data?.title ?? labelOf(version.spec, wait.nodeId));
  return {
    runId: wait.runId,
    nodeId: wait.nodeId,
    kind: wait.kind,
    status: wait.status,
    title,
    label: labelOf(version.spec, wait.nodeId),
    workflow: { id: version.workflowId, name: version.workflowName, version: version.version },
    runStatus: item.run.status,
    initiatedById: item.run.initiatedById,
    payloadHash: wait.payloadHash,
    createdAt: wait.createdAt.toISOString(),
    expiresAt: wait.expiresAt?.toISOString() ?? null,
    resolvedAt: wait.resolvedAt?.toISOString() ?? null,
  };
}

/** One review or task: what is shown, the findings, the rule, the decisions so far, and my standing. */
export async function detail(ctx: AuthedContext, runId: string, nodeId: string, path: string) {
  const item = await loadOne(ctx, runId, nodeId, path, 'approval:read');
  const person = await personOf(ctx, await deciderOf(ctx));
  const s = await standing(ctx, item, person, () =>
    editorsOf(ctx.db, ctx.actor.workspaceId, item.version.id),
  );
  const step = await ctx.db.prisma.step.findUnique({
    where: { runId_nodeId: { runId, nodeId } },
    select: { meta: true },
  });
  const meta = z.object({ findings: z.array(Finding).optional() }).safeParse(step?.meta ?? {});
  const findings = meta.success ? (meta.data.findings ?? []) : [];
  const base = { ...summaryOf(item), ...s, findings, payload: item.wait.payload };
  if (item.wait.kind === 'human') {
    const request = TaskRequest.parse(item.wait.request);
    const state = TaskState.parse(item.wait.state);
    return {
      ...base,
      gate: null,
      task: {
        role: request.role,
        assignees: request.assignees,
        form: request.form,
        dueAt: request.dueAt ?? null,
        answeredBy: state.answeredBy ?? null,
        answeredAt: state.answeredAt ?? null,
      },
    };
  }
  const request = GateRequest.parse(item.wait.request);
  const state = GateState.parse(item.wait.state);
  const names = await ctx.db.prisma.user.findMany({
    where: { id: { in: state.decisions.map((d) => d.userId) } },
    select: { id: true, name: true, email: true },
  });
  const nameOf = new Map(names.map((u) => [u.id, u]));
  return {
    ...base,
    task: null,
    gate: {
      rule: request.rule,
      approvers: currentApprovers(request, state),
      quorum: request.quorum,
      separationOfDuties: request.separationOfDuties,
      expiry: request.expiry,
      escalated: state.escalated,
      outcome: state.outcome ?? null,
      decisions: state.decisions.map((d) => ({
        userId: d.userId,
        name: nameOf.get(d.userId)?.name ?? null,
        email: nameOf.get(d.userId)?.email ?? null,
        via: d.via,
        verdict: d.verdict,
        comment: d.comment,
        at: d.at,
        /** False when it was made on data that has since changed. */
        onThisPayload: d.payloadHash === item.wait.payloadHash,
      })),
    },
  };
}

const REFUSAL_CODES: Record<string, TRPCError['code']> = {
  STALE_PAYLOAD: 'CONFLICT',
  ALREADY_DECIDED: 'CONFLICT',
  ALREADY_ANSWERED: 'CONFLICT',
  CLOSED: 'CONFLICT',
  COMMENT_REQUIRED: 'BAD_REQUEST',
  INVALID_ANSWER: 'BAD_REQUEST',
};

function refuse(code: string, message: string): never {
  throw new TRPCError({
    code: REFUSAL_CODES[code] ?? 'FORBIDDEN',
    message,
    cause: new RefusalError(code, message),
  });
}

/** The reason code of a refused decision, for clients (`error.cause.code` server-side). */
export class RefusalError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RefusalError';
  }
}

function notWaiting(kind: 'gate' | 'human'): never {
  throw new TRPCError({
    code: 'CONFLICT',
    message: `this ${kind === 'gate' ? 'review' : 'task'} was already decided, expired or cancelled`,
    cause: new RefusalError('ALREADY_DECIDED', 'already decided'),
  });
}

type Blocked = 'foreign' | 'out-of-scope' | 'other-kind';

/**
 * The people lookup a decider uses under the run's lock: the deciding person was read before the
 * lock was taken; only people not known yet (earlier deciders) are read inside it.
 */
function peopleWith(ctx: AuthedContext, known: Map<string, Person>) {
  return async (ids: readonly string[]): Promise<Map<string, Person>> => {
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length === 0) return known;
    return new Map([...known, ...(await peopleOf(ctx.db, ctx.actor.workspaceId, missing))]);
  };
}

/**
 * Runs `decide` under the run's lock once the wait is seen to be the caller's to look at: of their
 * workspace, within a token's workflows, of the expected kind. Everything else is answered as
 * NOT_FOUND, FORBIDDEN (audited) or BAD_REQUEST, and nothing changes.
 */
async function resolveOwnWait(
  ctx: AuthedContext,
  input: { runId: string; nodeId: string },
  kind: 'gate' | 'human',
  path: string,
  permission: Permission,
  decide: (wctx: WaitDecisionContext) => Promise<WaitResolution | null>,
) {
  if (!hasResolveWait(ctx.services.engine)) {
    // Without an engine nothing can be decided; what is not there is still not found.
    const exists = await ctx.db.prisma.wait.findFirst({
      where: { runId: input.runId, nodeId: input.nodeId, workspaceId: ctx.actor.workspaceId },
      select: { runId: true },
    });
    if (!exists) throw notFound('wait', `${input.runId}/${input.nodeId}`);
  }
  const engine = waitEngine(ctx);
  const scope = workflowScope(ctx);
  let blocked: Blocked | undefined;
  let workflowId: string | undefined;
  const result = await engine.resolveWait(input.runId, input.nodeId, async (wctx) => {
    if (wctx.run.workspaceId !== ctx.actor.workspaceId) return ((blocked = 'foreign'), null);
    workflowId = wctx.plan.version.workflowId;
    if (scope && !scope.includes(workflowId)) return ((blocked = 'out-of-scope'), null);
    if (wctx.wait.kind !== kind) return ((blocked = 'other-kind'), null);
    return decide(wctx);
  });
  const what = `${input.runId}/${input.nodeId}`;
  if (result.status === 'missing' || blocked === 'foreign') throw notFound('wait', what);
  if (result.status === 'not-waiting') {
    const wait = result.wait;
    if (!wait || wait.workspaceId !== ctx.actor.workspaceId) throw notFound('wait', what);
    if (scope) {
      const version = await ctx.db.prisma.workflowVersion.findUnique({
        where: { id: result.run.workflowVersionId },
        select: { workflowId: true },
      });
      await assertWorkflowInScope(ctx, version?.workflowId ?? '', path, permission);
    }
    if (wait.kind !== kind) blocked = 'other-kind';
    else notWaiting(kind);
  }
  if (blocked === 'out-of-scope') await assertWorkflowInScope(ctx, workflowId ?? '', path, permission);
  if (blocked === 'other-kind') {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message:
        kind === 'gate'
          ? 'this is a human task: answer it instead'
          : 'this is an approval gate: decide it instead',
    });
  }
  return result;
}

/**
 * Approves or rejects at a gate, as the caller (a token decides as the member who created it). The
 * wait is read under the run's lock, so the decision is judged against exactly what is there.
 */
export async function decide(ctx: AuthedContext, input: z.infer<typeof DecideInput>, path: string) {
  const decider = await deciderOf(ctx);
  const known = await peopleOf(ctx.db, ctx.actor.workspaceId, [decider.userId]);
  let said: DecideResult | undefined;
  await resolveOwnWait(ctx, input, 'gate', path, 'approval:decide', async (wctx) => {
    // Who edited the version matters only to gates that exclude editors (it reads the audit trail).
    const excludesEditors = GateRequest.safeParse(wctx.wait.request).data?.separationOfDuties.excludeEditors;
    const editorIds = excludesEditors
      ? await editorsOf(ctx.db, ctx.actor.workspaceId, wctx.run.workflowVersionId)
      : [];
    const apply = gateDecider(
      {
        decider,
        verdict: input.verdict,
        comment: input.comment,
        seenHash: input.payloadHash,
        editorIds,
        people: peopleWith(ctx, known),
      },
      (r) => (said = r),
    );
    return apply(wctx);
  });
  if (!said) notWaiting('gate');
  if (!said.ok) refuse(said.code, said.message);
  return {
    status: said.outcome ?? ('recorded' as const),
    approvals: said.approvals,
    quorum: said.quorum,
    payloadHash: said.decision.payloadHash,
  };
}

/** Answers a human task; the validated answer becomes the step's output. */
export async function answer(ctx: AuthedContext, input: z.infer<typeof AnswerInput>, path: string) {
  const decider = await deciderOf(ctx);
  const known = await peopleOf(ctx.db, ctx.actor.workspaceId, [decider.userId]);
  let said: AnswerResult | undefined;
  await resolveOwnWait(ctx, input, 'human', path, 'task:answer', (wctx) =>
    taskDecider(
      { decider, answer: input.answer, seenHash: input.payloadHash, people: peopleWith(ctx, known) },
      (r) => (said = r),
    )(wctx),
  );
  if (!said) notWaiting('human');
  if (!said.ok) refuse(said.code, said.message);
  return { status: 'answered' as const };
}
