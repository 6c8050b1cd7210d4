// Steps that wait for people (a gate under review, a human task). Their executors return a wait
// instead of a result; the step becomes `waiting`, a wait row records what the people are shown,
// and no worker is held. A decision is applied with `resolveWait`: under the run's lock (so two
// decisions, a decision and an expiry, or a decision and a cancel are serialised, and exactly one
// outcome is recorded) the caller's decider reads the open wait and returns new state, events, and
// possibly the step's outcome. Expired waits are handed to the kind's expiry policy.
import type { ErrorInfo, RunEvent, RunEventDraft } from '@sluice/spec';
import type { ExecutionPlan } from '../plan.js';
import type { EngineResources } from '../resources.js';
import type { RunRecord, WaitKind, WaitRecord } from '../store.js';
import { type LiveStep, Transition } from './advance.js';

/** What a decider decides: new state (still waiting), or the step's outcome. */
export interface WaitResolution {
  /** The wait's decision state after this decision. */
  state?: Record<string, unknown>;
  /** A new expiry (an escalation), or null for none; undefined keeps it. */
  expiresAt?: Date | null;
  /** Appended to the run's chain with the change (who decided what, on which payload hash). */
  events?: RunEventDraft[];
  /** Set when the wait is over: the step succeeds with this output, or fails with this error. */
  outcome?:
    { output: unknown; ports?: readonly string[]; details?: Record<string, unknown> } | { error: ErrorInfo };
}

export interface WaitDecisionContext {
  run: RunRecord;
  wait: WaitRecord;
  plan: ExecutionPlan;
  now: Date;
}

/** Decides on an open wait; null changes nothing. Throwing rolls everything back. */
export type WaitDecider = (
  ctx: WaitDecisionContext,
) => WaitResolution | null | Promise<WaitResolution | null>;

/** What happens to a wait of a kind when it expires. */
export interface WaitPolicy {
  expire: WaitDecider;
}

export type WaitPolicies = Partial<Record<WaitKind, WaitPolicy>>;

export type ResolveWaitResult =
  | { status: 'resolved' | 'updated'; run: RunRecord; events: RunEvent[] }
  /** Nothing waits there any more (already decided, expired, cancelled, or the step moved on). */
  | { status: 'not-waiting'; run: RunRecord; wait: WaitRecord | null }
  /** The decider returned null. */
  | { status: 'unchanged'; run: RunRecord }
  | { status: 'missing' };

/** Without a policy, an expired wait fails its step. */
const failOnExpiry: WaitPolicy = {
  expire: ({ wait }) => ({
    outcome: {
      error: {
        code: 'WAIT_EXPIRED',
        message: `nobody decided before ${wait.expiresAt?.toISOString() ?? 'the deadline'}`,
      },
    },
  }),
};

export async function resolveWait(
  res: EngineResources,
  runId: string,
  nodeId: string,
  decide: WaitDecider,
): Promise<ResolveWaitResult> {
  let notWaiting: WaitRecord | null | undefined;
  let resolved = false;
  await res.plans.warmForRun(runId);
  const result = await res.store.transition(runId, {}, async (tx) => {
    const wait = await tx.wait(nodeId);
    const states = await tx.steps();
    const step = states.find((s) => s.nodeId === nodeId);
    if (!wait || wait.status !== 'open' || step?.status !== 'waiting' || step.attempt !== wait.attempt) {
      notWaiting = wait;
      return null;
    }
    const plan = await res.plans.get(tx.run.workflowVersionId);
    const node = plan.nodes.get(nodeId);
    if (!node) throw new Error(`version ${plan.version.id} has no node "${nodeId}"`);
    const now = new Date();
    const decision = await decide({ run: tx.run, wait, plan, now });
    if (!decision) return null;
    const events = [...(decision.events ?? [])];
    if (!decision.outcome) {
      return {
        steps: [],
        events,
        waits: [
          {
            op: 'update',
            nodeId,
            state: decision.state ?? wait.state,
            ...(decision.expiresAt !== undefined ? { expiresAt: decision.expiresAt } : {}),
          },
        ],
      };
    }
    resolved = true;
    const steps = new Map<string, LiveStep>();
    for (const s of states) steps.set(s.nodeId, { ...s, loaded: false });
    const t = new Transition({
      plan,
      runId,
      workspaceId: tx.run.workspaceId,
      initiatedById: tx.run.initiatedById,
      runTokens: tx.run.tokensUsed,
      runInput: tx.run.input,
      steps,
      loadOutputs: tx.outputs,
      now,
    });
    t.events.push(...events);
    const stored = (await tx.outputs([nodeId])).get(nodeId);
    const outcome = decision.outcome;
    if ('error' in outcome) {
      t.fail(node, wait.attempt, outcome.error, false, []);
    } else {
      const durationMs = Math.max(0, now.getTime() - wait.createdAt.getTime());
      await t.succeeded(
        node,
        wait.attempt,
        { output: outcome.output, ports: outcome.ports, details: outcome.details },
        durationMs,
        stored?.findings ?? [],
      );
    }
    await t.finish();
    return {
      steps: [...t.writes.values()],
      events: t.events,
      run: t.run,
      waits: [{ op: 'resolve', nodeId, state: decision.state ?? wait.state }, ...t.waits],
      tokens: t.tokens,
      readyWork: t.readyWork,
    };
  });
  switch (result.status) {
    case 'missing':
      return { status: 'missing' };
    case 'fenced':
      throw new Error('unreachable: resolving a wait takes no fence');
    case 'unchanged':
      return notWaiting !== undefined
        ? { status: 'not-waiting', run: result.run, wait: notWaiting }
        : { status: 'unchanged', run: result.run };
    case 'committed':
      res.bus.publish(runId, result.events, result.run);
      if (result.events.some((e) => e.type === 'step.ready')) res.wakeWorkers();
      return { status: resolved ? 'resolved' : 'updated', run: result.run, events: result.events };
  }
}

/** Applies the expiry policies to waits whose time ran out; resolves with how many it handled. */
export async function expireWaits(
  res: EngineResources,
  policies: WaitPolicies,
  limit = 100,
): Promise<number> {
  const due = await res.store.expiredWaits(limit);
  for (const { runId, nodeId } of due) {
    try {
      await resolveWait(res, runId, nodeId, async (ctx) => {
        if (!ctx.wait.expiresAt || ctx.wait.expiresAt > ctx.now) return null;
        const policy = policies[ctx.wait.kind] ?? failOnExpiry;
        return policy.expire(ctx);
      });
    } catch (error) {
      res.log.warn(
        `expiring the wait of ${nodeId} in run ${runId} failed: ${error instanceof Error ? error.message : error}`,
      );
    }
  }
  return due.length;
}
