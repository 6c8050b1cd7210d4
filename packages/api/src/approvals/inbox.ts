// The reviewer's view: the inbox of waits with whether I may decide each, and one review or task in
// detail (what is shown, the findings, the rule, the decisions so far, and why I may or may not decide).
import {
  countedApprovers,
  currentApprovers,
  gateEligibility,
  GatePayload,
  GateRequest,
  GateState,
  TaskPayload,
  TaskRequest,
  TaskState,
  taskEligibility,
} from '@sluice/nodes/server';
import { Finding } from '@sluice/spec';
import { z } from 'zod';
import type { AuthedContext } from '../context';
import { workflowScope } from '../scope';
import { type Decider, deciderOf, editorsOf, type Person, peopleOf } from './people';
import { labelOf, type Loaded, loadOne, loadWaits, upstreamOwners } from './waits';

/** Inbox filters. `mine`: only what the caller may decide now. */
export const InboxInput = z.strictObject({
  kind: z.enum(['gate', 'human']).optional(),
  status: z.enum(['open', 'resolved', 'cancelled', 'all']).default('open'),
  workflowId: z.string().min(1).max(64).optional(),
  mine: z.boolean().default(false),
  limit: z.number().int().min(1).max(200).default(50),
});
export type InboxInput = z.infer<typeof InboxInput>;

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

/**
 * One review or task: what is shown (and what was shown at the attempt a rerun replaced), the
 * findings, the rule, the decisions so far, and my standing.
 */
export async function detail(ctx: AuthedContext, runId: string, nodeId: string, path: string) {
  const item = await loadOne(ctx, runId, nodeId, path, 'approval:read', { withPrevious: true });
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
  const base = {
    ...summaryOf(item),
    ...s,
    findings,
    payload: item.wait.payload,
    /** The attempt a rerun replaced (its payload opened like `payload`), to diff against; else null. */
    previous: item.wait.previous ?? null,
  };
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
