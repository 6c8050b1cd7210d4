// Deciding at a gate and answering a human task. Every decision goes through engine.resolveWait, so
// it is judged under the run's lock against the wait as it is at that moment: of many concurrent
// calls exactly one outcome is recorded, and everyone else is told why nothing happened.
import type { WaitDecisionContext, WaitResolution } from '@sluice/engine';
import { type AnswerResult, type DecideResult, GateRequest } from '@sluice/nodes/server';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { AuthedContext } from '../context';
import type { Permission } from '../permissions';
import { assertWorkflowInScope, notFound, workflowScope } from '../scope';
import { gateDecider, taskDecider } from './deciders';
import { deciderOf, editorsOf, type Person, peopleOf } from './people';
import { hasResolveWait, WaitKey, waitEngine } from './waits';

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
