// @sluice/engine: durable runs on a Store (DESIGN §4), as small systems sharing one resources object
// (resources.ts):
//
//   systems/starter.ts       start a run: check the input, run the pure steps that follow from the
//                            trigger in memory, commit run + steps + events at once (group-committed)
//   systems/advance.ts       one transition in memory: inline pure steps, ready the others, skips,
//                            retries, the run's outcome
//   systems/scheduler.ts     pure readiness rules (edges pending | data | skipped), property-tested
//   systems/workers.ts       claim loop (SKIP LOCKED, leases), woken by NOTIFY, polling as fallback
//   systems/execution.ts     run one claimed step (timeout, abort) and commit it fenced on its lease
//   systems/leases.ts        heartbeats, and returning dead workers' steps (same attempt)
//   systems/cancellation.ts  cancel a run and abort its executors here and elsewhere
//   systems/bus.ts           live events and run completions, gap- and duplicate-free
//   systems/plans.ts         per-version execution plans; the latest version per workflow
//   systems/subflow.ts       the `subflow` kind: a child run per step, keyed by the idempotency key
//   systems/retries.ts       backoff with jitter
//
// Storage is the Store interface (store.ts); packages/db implements it on PostgreSQL.
export { createEngine, type Engine, type EngineOptions } from './engine.js';
export { EngineError, type EngineErrorCode } from './errors.js';
export {
  ErrorInfo,
  EventEnvelope,
  isTerminalRunEvent,
  LogLevel,
  RunEvent,
  RunEventDraft,
  type RunEventType,
  SettledStep,
} from '@sluice/spec';
export {
  type Executor,
  type ExecutorContext,
  type ExecutorLogLevel,
  type ExecutorRegistry,
  StepError,
  type StepResult,
  type StepStreamChunk,
  type StepWait,
} from '@sluice/nodes/server';
export { contentHash, idempotencyKey, sha256, uuidv7 } from './ids.js';
export { buildPlan, type ExecutionPlan, type PlanEdge, type PlanNode } from './plan.js';
export { type CredentialRequest, CredentialRefusedError, type CredentialVault } from './vault.js';
export { type EngineLogger, silentEngineLogger, type WorkerOptions } from './resources.js';
export * from './store.js';
export type { LiveChunk, LiveListener, SubscribeOptions } from './systems/bus.js';
export type { RerunOptions } from './systems/rerun.js';
export type { CompensationOutcome, RollbackEntry, RollbackOptions } from './systems/rollback.js';
export type {
  ResolveWaitResult,
  WaitDecider,
  WaitDecisionContext,
  WaitPolicies,
  WaitPolicy,
  WaitResolution,
} from './systems/waits.js';
export type { CancelOptions } from './systems/cancellation.js';
export { retryDelayMs } from './systems/retries.js';
export { edgeState, readiness, runOutcome, settle, type StepView } from './systems/scheduler.js';
export type { StartedRun, StartRunRequest } from './systems/starter.js';
