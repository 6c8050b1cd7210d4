// The run event union: what the engine appends to a run's hash-chained log and what subscribers
// (the canvas overlay, the inspector, the audit view) receive. Pure zod, shared with the web app.
import { z } from 'zod';

const NodeRef = z.string().min(1).max(64);
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const Iso = z.string().datetime({ offset: true });

/** What went wrong in a step or a run: a code for machines, a message for people. */
export const ErrorInfo = z.object({
  code: z.string().min(1).max(64),
  message: z.string().max(4000),
  nodeId: NodeRef.optional(),
  retryable: z.boolean().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const LogLevel = z.enum(['debug', 'info', 'warn', 'error']);
export type LogLevel = z.infer<typeof LogLevel>;

/**
 * One step the engine settled without a worker: a pure step it ran, a step it skipped (no incoming
 * edge carried data), or a step it cancelled (the run failed or was cancelled).
 */
export const SettledStep = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('succeeded'),
    nodeId: NodeRef,
    attempt: z.number().int().min(1),
    /** sha256 of the canonical JSON of the output the step row holds: a tampered row is caught. */
    outputHash: Sha256,
    ports: z.array(z.string()),
  }),
  z.object({ status: z.literal('skipped'), nodeId: NodeRef }),
  z.object({ status: z.literal('cancelled'), nodeId: NodeRef }),
]);
export type SettledStep = z.infer<typeof SettledStep>;

// One entry per event type: its payload. The union members below are built from this one list.
const payloads = {
  'run.started': z.object({
    workflowId: z.string(),
    workflowVersionId: z.string(),
    version: z.number().int(),
    /** sha256 of the canonical JSON of the run input held on the run row. */
    inputHash: Sha256,
    runKey: z.string().nullable(),
    parentRunId: z.string().nullable(),
  }),
  'run.succeeded': z.object({ outputHash: Sha256 }),
  'run.failed': z.object({ error: ErrorInfo }),
  'run.cancelled': z.object({ reason: z.string().nullable() }),
  /**
   * Steps settled in this transition without a worker, in the order the engine settled them: pure
   * steps (trigger, transform, branch, output) it ran inline, steps it skipped, steps it cancelled.
   * One event per transition rather than one per step: a 100-step chain commits three events, not
   * 104, which roughly halves what its commit costs the database.
   */
  'steps.settled': z.object({ steps: z.array(SettledStep).min(1) }),
  /** A step that needs a worker can be claimed from `availableAt` on. */
  'step.ready': z.object({ nodeId: NodeRef, attempt: z.number().int().min(1), availableAt: Iso }),
  'step.started': z.object({ nodeId: NodeRef, attempt: z.number().int().min(1), worker: z.string() }),
  'step.succeeded': z.object({
    nodeId: NodeRef,
    attempt: z.number().int().min(1),
    outputHash: Sha256,
    ports: z.array(z.string()),
    durationMs: z.number().min(0),
  }),
  'step.failed': z.object({
    nodeId: NodeRef,
    attempt: z.number().int().min(1),
    error: ErrorInfo,
    willRetry: z.boolean(),
    retryAt: Iso.optional(),
  }),
  /** The step waits for people (a gate under review, a human task) and holds no worker. */
  'step.waiting': z.object({
    nodeId: NodeRef,
    reason: z.string(),
    attempt: z.number().int().min(1).optional(),
    kind: z.enum(['gate', 'human']).optional(),
    /** sha256 of the canonical JSON of what the people are shown: decisions carry it. */
    payloadHash: Sha256.optional(),
    expiresAt: Iso.optional(),
  }),
  'step.log': z.object({
    nodeId: NodeRef,
    attempt: z.number().int().min(1),
    level: LogLevel,
    message: z.string().max(4000),
    data: z.unknown().optional(),
  }),
  /**
   * An operator reran the run from a step: that step and everything downstream of it (and of any
   * failed or cancelled step) start again with new attempts; upstream outputs are kept.
   */
  'run.rerun': z.object({
    fromNodeId: NodeRef,
    reason: z.string().max(1000).nullable(),
    reset: z.array(NodeRef),
  }),
  /** An operator asked for a succeeded step's side effect to be undone; its compensation starts. */
  'step.compensating': z.object({ nodeId: NodeRef, attempt: z.number().int().min(1) }),
  /** The compensation ran: the step's effect is undone (status `compensated`). */
  'step.compensated': z.object({
    nodeId: NodeRef,
    attempt: z.number().int().min(1),
    outputHash: Sha256,
    durationMs: z.number().min(0),
  }),
  /** The compensation failed: the step stays succeeded and the error says why. */
  'step.compensation_failed': z.object({
    nodeId: NodeRef,
    attempt: z.number().int().min(1),
    error: ErrorInfo,
  }),
  /** The worker holding the step stopped renewing its lease; the step is ready again, same attempt. */
  'step.lease_expired': z.object({ nodeId: NodeRef, attempt: z.number().int().min(1), worker: z.string() }),
  /**
   * A person decided at a waiting step (a gate approval or rejection, a task's answer), on the data
   * whose hash they saw. `outcome` is set when the decision ended the wait. Answers themselves are
   * not recorded here (only their hash): they are the step's output.
   */
  'wait.decided': z.object({
    nodeId: NodeRef,
    attempt: z.number().int().min(1),
    kind: z.enum(['gate', 'human']),
    decision: z.enum(['approve', 'reject', 'answer']),
    /** The person (a token decides as the member who created it). */
    userId: z.string(),
    via: z.object({ type: z.enum(['user', 'token']), id: z.string() }),
    payloadHash: Sha256,
    comment: z.string().max(4000).optional(),
    answerHash: Sha256.optional(),
    /** Distinct eligible approvals on this payload so far, and how many are needed. */
    approvals: z.number().int().min(0).optional(),
    quorum: z.number().int().min(1).optional(),
    outcome: z.enum(['approved', 'rejected', 'answered']).optional(),
  }),
  /** Nobody decided in time: the wait goes to other approvers with a new deadline. */
  'wait.escalated': z.object({
    nodeId: NodeRef,
    attempt: z.number().int().min(1),
    to: z.object({ roles: z.array(z.string()), users: z.array(z.string()) }),
    expiresAt: Iso,
  }),
  /** The approvers were reminded; the wait expires at `expiresAt`. */
  'wait.reminded': z.object({ nodeId: NodeRef, attempt: z.number().int().min(1), expiresAt: Iso }),
  /** Nobody decided in time: the wait ended as `outcome`. */
  'wait.expired': z.object({
    nodeId: NodeRef,
    attempt: z.number().int().min(1),
    kind: z.enum(['gate', 'human']),
    outcome: z.enum(['rejected', 'failed']),
  }),
  /**
   * Data crossed an owner or trust boundary into a step: what was declared, what the payload
   * actually holds (detector names and JSON Pointers, never values), and whether it was blocked.
   */
  'handoff.inspected': z.object({
    from: NodeRef,
    to: NodeRef,
    boundaries: z.array(z.enum(['agent-to-human', 'human-to-agent', 'team-to-team', 'egress'])),
    declared: z.enum(['public', 'internal', 'confidential', 'restricted']),
    observed: z.enum(['public', 'internal', 'confidential', 'restricted']),
    clearance: z.enum(['public', 'internal', 'confidential', 'restricted']),
    payloadHash: Sha256,
    findings: z.array(z.object({ detector: z.string(), path: z.string() })).max(100),
    blocked: z.boolean(),
  }),
} as const;

type Payloads = typeof payloads;
export type RunEventType = keyof Payloads;

/** Types after which a run changes no more. */
export const TERMINAL_RUN_EVENTS = ['run.succeeded', 'run.failed', 'run.cancelled'] as const;

type DraftMember<T extends RunEventType> = z.ZodObject<{
  type: z.ZodLiteral<T>;
  payload: Payloads[T];
  actorId: z.ZodOptional<z.ZodNullable<z.ZodString>>;
}>;

function draftMember<T extends RunEventType>(type: T): DraftMember<T> {
  return z.object({
    type: z.literal(type),
    payload: payloads[type],
    actorId: z.string().nullable().optional(),
  });
}

const draftMembers = [
  draftMember('run.started'),
  draftMember('run.succeeded'),
  draftMember('run.failed'),
  draftMember('run.cancelled'),
  draftMember('steps.settled'),
  draftMember('step.ready'),
  draftMember('step.started'),
  draftMember('step.succeeded'),
  draftMember('step.failed'),
  draftMember('step.waiting'),
  draftMember('step.log'),
  draftMember('step.lease_expired'),
  draftMember('run.rerun'),
  draftMember('step.compensating'),
  draftMember('step.compensated'),
  draftMember('step.compensation_failed'),
  draftMember('wait.decided'),
  draftMember('wait.escalated'),
  draftMember('wait.reminded'),
  draftMember('wait.expired'),
  draftMember('handoff.inspected'),
] as const;

/**
 * An event as the engine writes it, before the log gives it a place: type, payload and who caused it
 * (a user or token id; absent for the engine itself).
 *
 * @example
 * const draft: RunEventDraft = { type: 'run.cancelled', payload: { reason: 'duplicate' }, actorId: userId };
 */
export const RunEventDraft = z.discriminatedUnion('type', draftMembers);
export type RunEventDraft = z.infer<typeof RunEventDraft>;

/** The fields the log adds to a draft: its place in the run's chain. */
export const EventEnvelope = z.object({
  runId: z.string(),
  workspaceId: z.string(),
  seq: z.number().int().min(1),
  /** When it was committed, at millisecond precision (as stored and hashed). */
  at: Iso,
  actorId: z.string().nullable(),
  prevHash: Sha256,
  hash: Sha256,
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

function member<T extends RunEventType>(type: T) {
  return EventEnvelope.extend({ type: z.literal(type), payload: payloads[type] });
}

/**
 * A committed run event: `seq` counts from 1 per run with no gaps, and
 * `hash = sha256(prevHash ‖ canonical(event))` chains it to its predecessor.
 *
 * @example
 * const event = RunEvent.parse(json);
 * if (event.type === 'step.failed' && event.payload.willRetry) showRetry(event.payload.retryAt);
 */
export const RunEvent = z.discriminatedUnion('type', [
  member('run.started'),
  member('run.succeeded'),
  member('run.failed'),
  member('run.cancelled'),
  member('steps.settled'),
  member('step.ready'),
  member('step.started'),
  member('step.succeeded'),
  member('step.failed'),
  member('step.waiting'),
  member('step.log'),
  member('step.lease_expired'),
  member('run.rerun'),
  member('step.compensating'),
  member('step.compensated'),
  member('step.compensation_failed'),
  member('wait.decided'),
  member('wait.escalated'),
  member('wait.reminded'),
  member('wait.expired'),
  member('handoff.inspected'),
]);
export type RunEvent = z.infer<typeof RunEvent>;

/** Whether an event ends its run. */
export function isTerminalRunEvent(event: { type: string }): boolean {
  return event.type === 'run.succeeded' || event.type === 'run.failed' || event.type === 'run.cancelled';
}
