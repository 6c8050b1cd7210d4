// The executor contract: what a node kind implements to run one step. Types and one error class only.
import type { Finding, JsonSchema, RunMetadata } from '@sluice/spec';

export type ExecutorLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Everything one execution of a step may use, and nothing else. */
export interface ExecutorContext<C = unknown> {
  runId: string;
  nodeId: string;
  workspaceId: string;
  workflowId: string;
  /** 1 for the first execution; a retry after a failure adds one, a lost lease does not. */
  attempt: number;
  /**
   * sha256(runId:nodeId:attempt), hex. Send it with every external call: after a crash the step runs
   * again with the same key, and the other side can recognise the repeat.
   */
  idempotencyKey: string;
  /** The node's config, as the compiler validated it (defaults applied). */
  config: C;
  /** The payload of the first incoming edge that carried data (for a join: see `inputs`). */
  input: unknown;
  /** The payload of every incoming edge that carried data, in edge order. */
  inputs: readonly unknown[];
  /** What the validators upstream of this step found (theirs and their ancestors'), in run order. */
  findings: readonly Finding[];
  /** The schemas the compiler inferred for `input`: CEL evaluation needs them to tell ints from doubles. */
  types: { input?: JsonSchema };
  /** Aborted when the step times out, its run is cancelled, or this process loses the step's lease. */
  signal: AbortSignal;
  /** A line that becomes a `step.log` event, committed with the step's result. */
  log(level: ExecutorLogLevel, message: string, data?: unknown): void;
  /** Renews the step's lease now (the engine also renews it on its own while the step runs). */
  heartbeat(): Promise<void>;
  /**
   * The plaintext of the workspace credential `name`, for this one call. Refused (a `StepError` with
   * code `CREDENTIAL_REFUSED`, audited and alerted) unless the credential is bound to this workflow
   * and node, and while a gate upstream of this step is not approved. Never log, return or store it.
   */
  credential(name: string): Promise<string>;
  /**
   * Live-only news for the run's subscribers while the step runs (an AI step's tokens as they
   * arrive). Never stored: persist what matters in the result's `details`.
   */
  stream(chunk: StepStreamChunk): void;
  /** What this run's earlier steps have used, for per-run budgets. */
  usage: { runTokens: number };
  /** The run, as expressions see it (`run.initiatedBy`, `run.tokens`…); absent in some tests. */
  run?: RunMetadata;
}

/** A live-only piece of a running step's progress. */
export type StepStreamChunk = { kind: 'text'; delta: string } | { kind: 'status'; message: string };

/** A step's result: its output, and the output ports it sends the output on (default: all of them). */
export interface StepResult {
  output: unknown;
  ports?: readonly string[];
  /** Findings (validators) that travel downstream with the output; gates and later steps see them. */
  findings?: readonly Finding[];
  /**
   * What the step records beside its output for the inspector (AI: model, parameters, rendered
   * prompt, reply, usage, latency, finish reason). Plain JSON, never a secret.
   */
  details?: Record<string, unknown>;
  /** Tokens this step used (counted toward the run's budget). */
  tokens?: number;
}

/**
 * A step that waits for people (a `gate` under review, a `human` task) without holding a worker:
 * the step stays `waiting` until a decision resolves it (`engine.resolveWait`).
 */
export interface StepWait {
  wait: {
    kind: 'gate' | 'human';
    /** Exactly what the people are shown; its SHA-256 binds their decisions. */
    payload: unknown;
    /** What the decision logic needs later (approvers, quorum, form schema, the rule that matched…). */
    request: Record<string, unknown>;
    /** When it expires (the gate's expiry policy then applies), if ever. */
    expiresAt?: Date;
  };
  /** Findings and details recorded now, as for a result. */
  findings?: readonly Finding[];
  details?: Record<string, unknown>;
}

/**
 * How a step fails on purpose. `retryable` failures are retried per the node's `retry` policy;
 * anything else thrown by an executor counts as a non-retryable `EXECUTOR_FAILED`.
 *
 * @example
 * throw new StepError('UPSTREAM_429', 'rate limited by the provider', { retryable: true });
 */
export class StepError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'StepError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/**
 * Runs steps of one node kind. `pure` executors (no I/O, deterministic, fast) run inline in the
 * engine, right after whatever made them ready, inside that same transaction; the others are
 * claimed by workers under a lease.
 *
 * @example
 * export const transformExecutor: Executor<TransformConfig> = {
 *   kind: 'transform',
 *   pure: true,
 *   execute: (ctx) => ({ output: mapFields(ctx.config.mapping, ctx) }),
 * };
 */
export interface Executor<C = unknown> {
  kind: string;
  pure: boolean;
  execute(ctx: ExecutorContext<C>): Promise<StepResult | StepWait> | StepResult | StepWait;
  /** Undoes a succeeded step on rollback; `output` is what that step returned. */
  compensate?(ctx: ExecutorContext<C> & { output: unknown }): Promise<StepResult>;
}

/** Executors by kind. */
export type ExecutorRegistry = ReadonlyMap<string, Executor>;
