// The gate's and the human task's decision logic (pure, in @sluice/nodes/server) turned into the
// engine's wait deciders: each runs under the run's lock with the wait as it is now, and returns the
// new state, the events that record it, and when the wait is over, the step's outcome.
import type { ExecutionPlan, WaitDecisionContext, WaitPolicies, WaitResolution } from '@sluice/engine';
import { contentHash } from '@sluice/engine';
import {
  type DecideResult,
  decideGate,
  expireGate,
  type GateExclusions,
  GatePayload,
  GateRequest,
  GateState,
  answerTask,
  type AnswerResult,
  TaskRequest,
  TaskState,
} from '@sluice/nodes/server';
import type { Decider, Person } from './people';

/** The owners of the steps that feed `nodeId`, and the run's initiator and the version's editors. */
export function exclusionsOf(ctx: WaitDecisionContext, editorIds: readonly string[]): GateExclusions {
  const node = ctx.plan.nodes.get(ctx.wait.nodeId);
  const owners = new Set<string>();
  for (const edge of node?.incoming ?? []) {
    const owner =
      edge.from === ctx.plan.spec.trigger.id
        ? ctx.plan.spec.trigger.owner
        : ctx.plan.spec.nodes[edge.from]?.owner;
    if (owner) owners.add(owner);
  }
  return { initiatorId: ctx.run.initiatedById, upstreamOwners: [...owners], editorIds };
}

/** A rejection goes on the `rejected` port when something handles it, else it fails the gate. */
function rejection(
  plan: ExecutionPlan,
  nodeId: string,
  input: unknown,
  message: string,
): WaitResolution['outcome'] {
  const handled = plan.nodes.get(nodeId)?.outgoing.some((e) => e.fromPort === 'rejected') ?? false;
  if (handled)
    return { output: input, ports: ['rejected'], details: { decision: 'rejected', reason: message } };
  return { error: { code: 'GATE_REJECTED', message } };
}

export interface GateDecisionInput {
  decider: Decider;
  verdict: 'approve' | 'reject';
  comment: string;
  seenHash: string;
  editorIds: readonly string[];
  /** Loads the deciding person and the earlier deciders as they are now. */
  people(userIds: readonly string[]): Promise<Map<string, Person>>;
}

/**
 * A decider applying one approval or rejection; `onResult` receives what the gate logic said (a
 * refusal leaves everything unchanged: the decider returns null).
 */
export function gateDecider(input: GateDecisionInput, onResult: (result: DecideResult) => void) {
  return async (ctx: WaitDecisionContext): Promise<WaitResolution | null> => {
    if (ctx.wait.kind !== 'gate') return null;
    const request = GateRequest.parse(ctx.wait.request);
    const state = GateState.parse(ctx.wait.state);
    const people = await input.people([input.decider.userId, ...state.decisions.map((d) => d.userId)]);
    const member = people.get(input.decider.userId) ?? {
      userId: input.decider.userId,
      email: null,
      role: null,
    };
    const result = decideGate(
      {
        request,
        state,
        payloadHash: ctx.wait.payloadHash,
        exclusions: exclusionsOf(ctx, input.editorIds),
        memberOf: (id) => people.get(id) ?? null,
      },
      {
        member,
        via: input.decider.via,
        verdict: input.verdict,
        comment: input.comment,
        seenHash: input.seenHash,
        at: ctx.now,
      },
    );
    onResult(result);
    if (!result.ok) return null;
    const events: WaitResolution['events'] = [
      {
        type: 'wait.decided',
        actorId: input.decider.via.id,
        payload: {
          nodeId: ctx.wait.nodeId,
          attempt: ctx.wait.attempt,
          kind: 'gate',
          decision: input.verdict,
          userId: input.decider.userId,
          via: input.decider.via,
          payloadHash: ctx.wait.payloadHash,
          ...(result.decision.comment ? { comment: result.decision.comment } : {}),
          approvals: result.approvals,
          quorum: result.quorum,
          ...(result.outcome ? { outcome: result.outcome } : {}),
        },
      },
    ];
    if (!result.outcome) return { state: result.state, events };
    const data = GatePayload.parse(ctx.wait.payload).input;
    if (result.outcome === 'approved') {
      return {
        state: result.state,
        events,
        outcome: {
          output: data,
          ports: ['approved'],
          details: { decision: 'approved', approvals: result.approvals },
        },
      };
    }
    return {
      state: result.state,
      events,
      outcome: rejection(ctx.plan, ctx.wait.nodeId, data, `rejected: ${result.decision.comment}`),
    };
  };
}

export interface TaskAnswerInput {
  decider: Decider;
  answer: unknown;
  seenHash: string;
  people(userIds: readonly string[]): Promise<Map<string, Person>>;
}

/** A decider applying a human task's answer; the answer becomes the step's output. */
export function taskDecider(input: TaskAnswerInput, onResult: (result: AnswerResult) => void) {
  return async (ctx: WaitDecisionContext): Promise<WaitResolution | null> => {
    if (ctx.wait.kind !== 'human') return null;
    const request = TaskRequest.parse(ctx.wait.request);
    const state = TaskState.parse(ctx.wait.state);
    const people = await input.people([input.decider.userId]);
    const member = people.get(input.decider.userId) ?? {
      userId: input.decider.userId,
      email: null,
      role: null,
    };
    const result = answerTask(request, state, ctx.wait.payloadHash, {
      answer: input.answer,
      member,
      via: input.decider.via,
      seenHash: input.seenHash,
      at: ctx.now,
    });
    onResult(result);
    if (!result.ok) return null;
    return {
      state: result.state,
      events: [
        {
          type: 'wait.decided',
          actorId: input.decider.via.id,
          payload: {
            nodeId: ctx.wait.nodeId,
            attempt: ctx.wait.attempt,
            kind: 'human',
            decision: 'answer',
            userId: input.decider.userId,
            via: input.decider.via,
            payloadHash: ctx.wait.payloadHash,
            answerHash: contentHash(result.output),
            outcome: 'answered',
          },
        },
      ],
      outcome: { output: result.output, details: { answeredBy: input.decider.userId } },
    };
  };
}

/**
 * What time does to waits: a gate reminds, escalates once when configured, then expires as a
 * rejection; a human task past its due time fails (TASK_EXPIRED).
 */
export function expiryPolicies(): WaitPolicies {
  return {
    gate: {
      expire(ctx) {
        const request = GateRequest.parse(ctx.wait.request);
        const step = expireGate(request, GateState.parse(ctx.wait.state), ctx.now);
        if (!step) return null;
        const ref = { nodeId: ctx.wait.nodeId, attempt: ctx.wait.attempt };
        switch (step.kind) {
          case 'remind':
            return {
              state: step.state,
              expiresAt: step.expiresAt,
              events: [
                { type: 'wait.reminded', payload: { ...ref, expiresAt: step.expiresAt.toISOString() } },
              ],
            };
          case 'escalate':
            return {
              state: step.state,
              expiresAt: step.expiresAt,
              events: [
                {
                  type: 'wait.escalated',
                  payload: { ...ref, to: step.to, expiresAt: step.expiresAt.toISOString() },
                },
              ],
            };
          case 'expire':
            return {
              state: step.state,
              events: [{ type: 'wait.expired', payload: { ...ref, kind: 'gate', outcome: 'rejected' } }],
              outcome: rejection(
                ctx.plan,
                ctx.wait.nodeId,
                GatePayload.parse(ctx.wait.payload).input,
                'rejected: nobody decided before the review expired',
              ),
            };
        }
      },
    },
    human: {
      expire(ctx) {
        const due = TaskRequest.parse(ctx.wait.request).dueAt ?? ctx.wait.expiresAt?.toISOString();
        return {
          events: [
            {
              type: 'wait.expired',
              payload: {
                nodeId: ctx.wait.nodeId,
                attempt: ctx.wait.attempt,
                kind: 'human',
                outcome: 'failed',
              },
            },
          ],
          outcome: {
            error: {
              code: 'TASK_EXPIRED',
              message: `nobody answered the task before ${due ?? 'it was due'}`,
            },
          },
        };
      },
    },
  };
}
