// The one resources object the engine's systems share (CONVENTIONS 7).
import type { ExecutorRegistry } from '@sluice/nodes/server';
import type { ClaimedStep, Store } from './store.js';
import type { CredentialVault } from './vault.js';
import type { LiveBus } from './systems/bus.js';
import type { PlanCache } from './systems/plans.js';
import type { StartedRun } from './systems/starter.js';

export interface EngineLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentEngineLogger: EngineLogger = { debug() {}, info() {}, warn() {}, error() {} };

export interface WorkerOptions {
  /** Steps this process executes at once. */
  concurrency: number;
  /** How long a claim holds without a heartbeat; a crashed worker's steps return after this. */
  leaseMs: number;
  /** Claim attempt interval when no notification arrives (a fallback; NOTIFY wakes workers). */
  pollMs: number;
}

/** A step executing in this process. */
export interface RunningStep {
  step: ClaimedStep;
  controller: AbortController;
}

export interface EngineResources {
  readonly store: Store;
  readonly executors: ExecutorRegistry;
  readonly plans: PlanCache;
  readonly bus: LiveBus;
  readonly log: EngineLogger;
  readonly vault: CredentialVault | undefined;
  /** Names this process in leases and `step.started` events. */
  readonly workerId: string;
  readonly workers: WorkerOptions;
  /** For steps whose node sets no `timeoutMs`. */
  readonly defaultStepTimeoutMs: number;
  /** By lease token. */
  readonly running: Map<string, RunningStep>;
  /** Runs being started in this process, by `workspaceId:runKey`, so duplicates share one start. */
  readonly starting: Map<string, Promise<StartedRun>>;
  /** Tells this process's workers that steps became ready (set by the workers system). */
  wakeWorkers: () => void;
}
