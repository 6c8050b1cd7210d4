// The engine's only door to storage (DESIGN §2): packages/db implements it on PostgreSQL. Every
// method that changes state commits before it returns, and returns what it committed.
import type { Finding, RunEvent, RunEventDraft } from '@sluice/spec';

export type RunStatus = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus =
  | 'pending'
  | 'ready'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'waiting'
  | 'skipped'
  | 'cancelled'
  | 'compensated';

export const TERMINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled']);
export const TERMINAL_STEP_STATUSES: ReadonlySet<StepStatus> = new Set([
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
  'compensated',
]);

/** A published, immutable workflow version. */
export interface VersionRecord {
  id: string;
  workflowId: string;
  workspaceId: string;
  version: number;
  /** The compiled spec (sluice/v1), as stored. */
  spec: unknown;
  hash: string;
}

export interface RunRecord {
  id: string;
  workspaceId: string;
  workflowVersionId: string;
  status: RunStatus;
  input: unknown;
  output: unknown;
  error: unknown;
  runKey: string | null;
  initiatedById: string | null;
  parentRunId: string | null;
  lastSeq: number;
  lastHash: string;
  /** Tokens the run's steps have used so far. */
  tokensUsed: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** A step: one node of one run, identified by the pair. */
export interface StepRecord {
  runId: string;
  nodeId: string;
  status: StepStatus;
  attempt: number;
  input: unknown;
  output: unknown;
  error: unknown;
  ports: string[];
  meta: StepMeta | null;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  availableAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/**
 * What a step records beside its output. A ready step holds the findings it inherits from upstream;
 * a settled one its inherited and own findings (they travel on downstream), its details and tokens.
 */
export interface StepMeta {
  findings?: Finding[];
  details?: Record<string, unknown>;
  tokens?: number;
}

/** A settled step's output with the findings that travel with it. */
export interface StepOutput {
  output: unknown;
  findings: Finding[];
}

export type WaitKind = 'gate' | 'human';
export type WaitStatus = 'open' | 'resolved' | 'cancelled';

/** A step waiting for people (see `Wait` in the schema). */
export interface WaitRecord {
  runId: string;
  nodeId: string;
  workspaceId: string;
  kind: WaitKind;
  status: WaitStatus;
  attempt: number;
  payload: unknown;
  payloadHash: string;
  request: Record<string, unknown>;
  state: Record<string, unknown>;
  expiresAt: Date | null;
  createdAt: Date;
  resolvedAt: Date | null;
  /**
   * The attempt this one replaced when a rerun reached the step again (what a reviewer diffs
   * against); null when there was none. Absent where a store does not read it. Its payload is as
   * stored: sealed at rest when the step's data is confidential, so open it before showing it.
   */
  previous?: PreviousWaitAttempt | null;
}

/** An earlier attempt's wait at the same step, kept when a rerun replaced it. */
export interface PreviousWaitAttempt {
  attempt: number;
  payload: unknown;
  payloadHash: string;
}

/** A change to a run's waits, committed with its transition. */
export type WaitWrite =
  | {
      op: 'open';
      nodeId: string;
      kind: WaitKind;
      attempt: number;
      payload: unknown;
      payloadHash: string;
      request: Record<string, unknown>;
      expiresAt: Date | null;
      /** The payload is confidential or above: the store encrypts it at rest. */
      sealed?: boolean;
    }
  /** New decision state (and possibly a new expiry, e.g. after an escalation); still open. */
  | { op: 'update'; nodeId: string; state: Record<string, unknown>; expiresAt?: Date | null }
  | { op: 'resolve'; nodeId: string; state?: Record<string, unknown> }
  | { op: 'cancel'; nodeId: string };

/** The light view of a step a transition decides on (outputs are loaded on demand). */
export interface StepState {
  nodeId: string;
  status: StepStatus;
  attempt: number;
  ports: string[];
}

/**
 * The state a step row is set to. `input` and `availableAt` keep their stored value when left
 * undefined; the lease is always cleared (a transition ends whatever lease there was). The store
 * stamps times itself: a step that ran in the transition started then (unless a worker's claim
 * already set its start), one that reached a final status finished then.
 */
export interface StepWrite {
  nodeId: string;
  status: StepStatus;
  attempt: number;
  output: unknown;
  error: unknown;
  ports: readonly string[];
  input?: unknown;
  availableAt?: Date;
  /** Undefined keeps the stored meta. */
  meta?: StepMeta | null;
  /** The step's data is confidential or above: the store encrypts its input and output at rest. */
  sealed?: boolean;
}

/** A step row of a new run: every node of the spec gets one when the run starts. */
export type StepInsert = StepWrite;

export interface RunWrite {
  status: RunStatus;
  output: unknown;
  error: unknown;
  finishedAt: Date | null;
  /** The output is confidential or above: the store encrypts it at rest. */
  sealOutput?: boolean;
}

/** Everything a new run commits at once: the run, all its steps, its first events. */
export interface NewRun {
  run: {
    id: string;
    workspaceId: string;
    workflowVersionId: string;
    runKey: string | null;
    initiatedById: string | null;
    parentRunId: string | null;
    input: unknown;
    startedAt: Date;
    /** The input is confidential or above: the store encrypts it at rest. */
    sealInput?: boolean;
  } & RunWrite;
  steps: StepInsert[];
  events: RunEventDraft[];
  /** Steps that started waiting for people (only `open`). */
  waits?: WaitWrite[];
  /** Tokens the steps run at start used. */
  tokens?: number;
  /** Some step now waits for a worker: wake the workers of every process. */
  readyWork: boolean;
}

export type StartOutcome =
  | { created: true; events: RunEvent[] }
  /** The run key was taken: the run it started, untouched. */
  | { created: false; run: RunRecord };

/** What a transition reads under its run's lock. */
export interface RunTransaction {
  readonly run: RunRecord;
  /** Every step of the run, without inputs and outputs. */
  steps(): Promise<StepState[]>;
  /** The outputs (and travelling findings) of the given nodes' steps. */
  outputs(nodeIds: readonly string[]): Promise<Map<string, StepOutput>>;
  /** The wait of a node's step, if it ever waited. */
  wait(nodeId: string): Promise<WaitRecord | null>;
}

export interface TransitionWrite {
  steps: StepWrite[];
  events: RunEventDraft[];
  run?: RunWrite;
  waits?: WaitWrite[];
  /** Tokens used by the steps this transition settled (added to the run's count). */
  tokens?: number;
  readyWork?: boolean;
  /** The run was cancelled: processes running its steps abort them. */
  cancelled?: boolean;
}

export type TransitionResult =
  | { status: 'committed'; events: RunEvent[]; run: RunRecord }
  /** The fence did not hold: the step is no longer running under that lease. Nothing was written. */
  | { status: 'fenced' }
  /** The body decided there was nothing to do. */
  | { status: 'unchanged'; run: RunRecord }
  | { status: 'missing' };

/** A claim on a step: only its holder (by the random token) may renew it or complete the step. */
export interface Lease {
  runId: string;
  nodeId: string;
  leaseToken: string;
}

export interface ClaimedStep extends Lease {
  workspaceId: string;
  workflowVersionId: string;
  attempt: number;
  input: unknown;
  /** The findings the step inherits from upstream. */
  findings: Finding[];
  /** Tokens the run had used when the step was claimed. */
  runTokens: number;
  /** Who started the run. */
  initiatedById: string | null;
  leaseExpiresAt: Date;
}

export interface ClaimOptions {
  /** Recorded on the step (`lease_owner`) and in its `step.started` event. */
  owner: string;
  limit: number;
  leaseMs: number;
}

export interface StoreNotifications {
  /** A run's log grew to `lastSeq` (possibly in another process). */
  events?(runId: string, lastSeq: number): void;
  /** Steps became ready somewhere. */
  ready?(): void;
  cancelled?(runId: string): void;
  /** A workflow has a new published version. */
  published?(workflowId: string): void;
  /** The notification connection was lost and re-established: anything may have been missed. */
  reconnected?(): void;
  /** Live-only news another process broadcast (see `Store.broadcastLive`). */
  live?(message: string): void;
}

export interface Store {
  loadVersion(versionId: string): Promise<VersionRecord | null>;
  latestVersion(workflowId: string): Promise<VersionRecord | null>;
  /** A workflow's version by its number (subflows pin one). */
  findVersion(workflowId: string, version: number): Promise<VersionRecord | null>;

  /** Commits a new run (concurrent calls share commits). A taken run key returns the existing run. */
  startRun(run: NewRun): Promise<StartOutcome>;

  /**
   * One transition of a run, serialised with all others of that run by a lock on its row. With a
   * `fence`, nothing happens unless that step is still running under that lease.
   */
  transition(
    runId: string,
    options: { fence?: Lease },
    body: (tx: RunTransaction) => Promise<TransitionWrite | null>,
  ): Promise<TransitionResult>;

  /** Claims ready steps under fresh leases, appending a `step.started` event for each. */
  claim(
    options: ClaimOptions,
    started: (step: ClaimedStep) => RunEventDraft,
  ): Promise<{ steps: ClaimedStep[]; events: RunEvent[] }>;
  /** Extends leases still held; returns the tokens of those still held. */
  extendLeases(leases: readonly Lease[], leaseMs: number): Promise<Set<string>>;
  /** Returns steps whose lease expired to `ready`, same attempt, with an event for each. */
  reapExpiredLeases(
    limit: number,
    expired: (step: { nodeId: string; attempt: number; leaseOwner: string }) => RunEventDraft,
  ): Promise<RunEvent[]>;
  /** Open waits whose expiry has passed (any process may handle them; transitions serialise). */
  expiredWaits(limit: number): Promise<{ runId: string; nodeId: string }[]>;
  getWait(runId: string, nodeId: string): Promise<WaitRecord | null>;
  /** When the next delayed ready step (a retry) becomes claimable, if any. */
  nextAvailableAt(): Promise<Date | null>;

  getRun(runId: string): Promise<RunRecord | null>;
  findRunByKey(workspaceId: string, runKey: string): Promise<RunRecord | null>;
  getSteps(runId: string): Promise<StepRecord[]>;
  readEvents(runId: string, afterSeq: number, limit?: number): Promise<RunEvent[]>;
  /**
   * The events of several runs in one read: for each run, those after its sequence number, in order,
   * at most `limit` per run. Runs with nothing new are absent from the answer.
   */
  readEventsOfRuns(afterSeqs: ReadonlyMap<string, number>, limit: number): Promise<Map<string, RunEvent[]>>;

  /**
   * Sends live-only news (a running step's tokens) to every listening process, outside any
   * transaction; nothing is stored. At most 7,000 bytes per message.
   */
  broadcastLive?(message: string): Promise<void>;
  /** Listens for other processes' commits; resolves once listening. */
  listen(handlers: StoreNotifications): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
