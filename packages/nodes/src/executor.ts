// The executor contract: what a node kind implements to run one step. Types and one error class only.
import type { Finding, JsonSchema } from '@sluice/spec';

export type ExecutorLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Everything one execution of a step may use, and nothing else. */
export interface ExecutorContext<C = unknown> {
  runId: string;
  nodeId: string;
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
  findings: readonly Finding[];
  /** The schemas the compiler inferred for `input`: CEL evaluation needs them to tell ints from doubles. */
  types: { input?: JsonSchema };
  /** Aborted when the step times out, its run is cancelled, or this process loses the step's lease. */
  signal: AbortSignal;
  /** A line that becomes a `step.log` event, committed with the step's result. */
  log(level: ExecutorLogLevel, message: string, data?: unknown): void;
  /** Renews the step's lease now (the engine also renews it on its own while the step runs). */
  heartbeat(): Promise<void>;
}

/** A step's result: its output, and the output ports it sends the output on (default: all of them). */
export interface StepResult {
  output: unknown;
  ports?: readonly string[];
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
  execute(ctx: ExecutorContext<C>): Promise<StepResult> | StepResult;
}

/** Executors by kind. */
export type ExecutorRegistry = ReadonlyMap<string, Executor>;
