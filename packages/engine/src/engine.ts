// The Engine: one object per process that starts runs, executes steps (unless it has no workers),
// cancels runs and serves live events. `sluice start` runs it beside the server; `sluice worker`
// runs it alone.
import { hostname } from 'node:os';
import { EngineError } from './errors.js';
import type { RunEvent } from '@sluice/spec';
import type { ExecutorRegistry } from '@sluice/nodes/server';
import type { ExecutionPlan } from './plan.js';
import {
  type EngineLogger,
  type EngineResources,
  silentEngineLogger,
  type WorkerOptions,
} from './resources.js';
import type { RunRecord, StepRecord, Store, WaitRecord } from './store.js';
import type { CredentialVault } from './vault.js';
import { LiveBus, type SubscribeOptions } from './systems/bus.js';
import { abortLocal, type CancelOptions, cancelRun } from './systems/cancellation.js';
import { Leases } from './systems/leases.js';
import { PlanCache } from './systems/plans.js';
import { startRun, type StartedRun, type StartRunRequest } from './systems/starter.js';
import { subflowExecutor } from './systems/subflow.js';
import { Workers } from './systems/workers.js';
import type { LiveListener } from './systems/bus.js';
import { rerunFrom, type RerunOptions } from './systems/rerun.js';
import {
  type CompensationOutcome,
  type RollbackEntry,
  type RollbackOptions,
  rollbackPlan,
  rollbackRun,
  rollbackStep,
} from './systems/rollback.js';
import {
  expireWaits,
  resolveWait,
  type ResolveWaitResult,
  type WaitDecider,
  type WaitPolicies,
} from './systems/waits.js';

export interface EngineOptions {
  store: Store;
  /** Executors by node kind: `serverExecutors` from `@sluice/nodes/server`, plus any of your own. */
  executors: ExecutorRegistry;
  /** Worker settings; `false` for a process that starts runs but executes no worker steps. */
  workers?: Partial<WorkerOptions> | false;
  /** Default 5 minutes. */
  defaultStepTimeoutMs?: number;
  /** Where executors get credentials from; without one every credential is refused. */
  vault?: CredentialVault;
  /** What expiry does to a wait, per kind (default: the step fails with WAIT_EXPIRED). */
  waitPolicies?: WaitPolicies;
  /** How often a worker process looks for expired waits; default 1 s. */
  waitSweepMs?: number;
  /** Names this process in leases; default host:pid:random. */
  workerId?: string;
  log?: EngineLogger;
}

export interface Engine {
  /** Listens for other processes' commits and starts the workers. */
  start(): Promise<void>;
  /** Stops claiming, lets running steps finish (up to `graceMs`, default 10 s), stops listening. */
  stop(options?: { graceMs?: number }): Promise<void>;
  startRun(request: StartRunRequest): Promise<StartedRun>;
  cancelRun(runId: string, options?: CancelOptions): Promise<RunRecord>;
  /** Resolves with the run once finished; rejects with `TIMEOUT` after `timeoutMs` (default 30 s). */
  waitForRun(runId: string, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<RunRecord>;
  /** The run's events after `afterSeq`, then live ones, each once and in order. */
  subscribe(runId: string, options?: SubscribeOptions): AsyncIterableIterator<RunEvent>;
  /**
   * {@link Engine.subscribe} in batches: each is every event waiting when the consumer asks (at least
   * one, at most `maxBatch`), so a consumer that sends each batch as one message keeps up under load.
   */
  subscribeBatches(
    runId: string,
    options?: SubscribeOptions & { maxBatch?: number },
  ): AsyncGenerator<RunEvent[], void, undefined>;
  /** Live-only news of a run's running steps in this process (AI tokens); returns the unsubscriber. */
  onLive(runId: string, listener: LiveListener): () => void;
  /**
   * Every run's commits seen by this process (its own, and others' where it listens): the run id,
   * once or more per commit, as a hint for views of many runs. Returns the unsubscriber.
   */
  onRunActivity(listener: (runId: string) => void): () => void;
  /**
   * Applies a decision to a waiting step under its run's lock: the decider sees the open wait and
   * returns new state and events, or the step's outcome (the run then moves on).
   */
  resolveWait(runId: string, nodeId: string, decide: WaitDecider): Promise<ResolveWaitResult>;
  /**
   * Reruns a finished run from a step: it and everything downstream (and whatever the failure left
   * unsettled) run again with new attempts; upstream outputs are kept.
   */
  rerunFrom(runId: string, nodeId: string, options?: RerunOptions): Promise<RunRecord>;
  /** What rolling back the run would undo, last first, and which steps are not reversible. */
  rollbackPlan(runId: string): Promise<RollbackEntry[]>;
  /** Undoes one succeeded step through its compensation. */
  rollbackStep(runId: string, nodeId: string, options?: RollbackOptions): Promise<CompensationOutcome>;
  /** Undoes every reversible succeeded step of a run, in reverse topological order. */
  rollbackRun(runId: string, options?: RollbackOptions): Promise<CompensationOutcome[]>;
  /** The plan of the newest published version of a workflow (webhook triggers), or null. */
  latestPlan(workflowId: string): Promise<ExecutionPlan | null>;
  plan(workflowVersionId: string): Promise<ExecutionPlan>;
  getRun(runId: string): Promise<RunRecord | null>;
  getSteps(runId: string): Promise<StepRecord[]>;
  /** The wait of a node's step (open, resolved or cancelled), if it ever waited. */
  getWait(runId: string, nodeId: string): Promise<WaitRecord | null>;
  readonly workerId: string;
}

/**
 * @example
 * const store = await openPgStore({ url: db.url });
 * const engine = createEngine({ store, executors: serverExecutors });
 * await engine.start();
 * const run = await engine.startRun({ workflowVersionId, input: { n: 0 } });
 * const done = run.status === 'succeeded' ? run : await engine.waitForRun(run.runId);
 */
export function createEngine(options: EngineOptions): Engine {
  const workerId =
    options.workerId ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const workerOptions: WorkerOptions = {
    concurrency: 8,
    leaseMs: 30_000,
    pollMs: 1_000,
    ...(options.workers || {}),
  };
  // The engine runs `subflow` steps itself (they start and await child runs) unless told otherwise.
  const executors = new Map(options.executors);
  const plans = new PlanCache(options.store, executors);
  const res: EngineResources = {
    store: options.store,
    executors,
    plans,
    bus: new LiveBus(options.store),
    log: options.log ?? silentEngineLogger,
    vault: options.vault,
    workerId,
    workers: workerOptions,
    defaultStepTimeoutMs: options.defaultStepTimeoutMs ?? 300_000,
    running: new Map(),
    starting: new Map(),
    wakeWorkers: () => {},
  };
  if (!executors.has('subflow')) executors.set('subflow', subflowExecutor(res));
  const leases = new Leases(res);
  const workers = options.workers === false ? undefined : new Workers(res, leases);
  let unlisten: (() => Promise<void>) | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  const sweepWaits = () => {
    sweepTimer = setTimeout(async () => {
      try {
        await expireWaits(res, options.waitPolicies ?? {});
      } catch (error) {
        res.log.warn(`expiring waits failed: ${error instanceof Error ? error.message : error}`);
      }
      if (sweepTimer) sweepWaits();
    }, options.waitSweepMs ?? 1_000);
    sweepTimer.unref();
  };
  let stopped = false;
  const refuseIfStopped = () => {
    if (stopped) throw new EngineError('ENGINE_STOPPED', 'the engine is stopping or stopped');
  };

  return {
    workerId,
    async start() {
      if (unlisten) return;
      stopped = false;
      unlisten = await res.store.listen({
        events: (runId, lastSeq) => res.bus.notified(runId, lastSeq),
        ready: () => res.wakeWorkers(),
        cancelled: (runId) => abortLocal(res, runId),
        published: (workflowId) => plans.published(workflowId),
        live: (payload) => res.bus.liveNotified(payload),
        reconnected: () => {
          plans.forgetLatest();
          res.bus.resync();
          res.wakeWorkers();
        },
      });
      if (workers) {
        leases.start();
        workers.start();
        sweepWaits();
      }
    },
    async stop({ graceMs = 10_000 } = {}) {
      stopped = true;
      clearTimeout(sweepTimer);
      sweepTimer = undefined;
      await workers?.stop(graceMs);
      leases.stop();
      await unlisten?.();
      unlisten = undefined;
    },
    startRun: async (request) => (refuseIfStopped(), startRun(res, request)),
    cancelRun: async (runId, cancel) => (refuseIfStopped(), cancelRun(res, runId, cancel)),
    waitForRun: (runId, wait = {}) => res.bus.waitFor(runId, wait.timeoutMs ?? 30_000, wait.signal),
    subscribe: (runId, subscribe) => res.bus.subscribe(runId, subscribe),
    subscribeBatches: (runId, subscribe) => res.bus.subscribeBatches(runId, subscribe),
    onLive: (runId, listener) => res.bus.onLive(runId, listener),
    onRunActivity: (listener) => res.bus.onActivity(listener),
    rerunFrom: async (runId, nodeId, rerun) => (refuseIfStopped(), rerunFrom(res, runId, nodeId, rerun)),
    rollbackPlan: (runId) => rollbackPlan(res, runId),
    rollbackStep: async (runId, nodeId, rollback) => (
      refuseIfStopped(),
      rollbackStep(res, runId, nodeId, rollback)
    ),
    rollbackRun: async (runId, rollback) => (refuseIfStopped(), rollbackRun(res, runId, rollback)),
    resolveWait: async (runId, nodeId, decide) => (
      refuseIfStopped(),
      resolveWait(res, runId, nodeId, decide)
    ),
    latestPlan: (workflowId) => plans.latest(workflowId),
    plan: (versionId) => plans.get(versionId),
    getRun: (runId) => res.store.getRun(runId),
    getSteps: (runId) => res.store.getSteps(runId),
    getWait: (runId, nodeId) => res.store.getWait(runId, nodeId),
  };
}
