// Plans of workflow versions, built once per version (versions are immutable), and the latest
// version per workflow for webhook triggers (forgotten when a new version is published).
import { EngineError } from '../errors.js';
import type { ExecutorRegistry } from '@sluice/nodes/server';
import { buildPlan, type ExecutionPlan } from '../plan.js';
import type { Store } from '../store.js';

const MAX_PLANS = 1000;
/** A safety net only: a publish notification normally drops the entry at once. */
const LATEST_TTL_MS = 10_000;

export class PlanCache {
  readonly #plans = new Map<string, Promise<ExecutionPlan>>();
  readonly #latest = new Map<string, { at: number; versionId: Promise<string | null> }>();

  constructor(
    private readonly store: Store,
    private readonly executors: ExecutorRegistry,
  ) {}

  /** The plan of a version; `VERSION_NOT_FOUND` when there is no such version. */
  get(versionId: string): Promise<ExecutionPlan> {
    const hit = this.#plans.get(versionId);
    if (hit) return hit;
    const loading = this.store.loadVersion(versionId).then((version) => {
      if (!version) throw new EngineError('VERSION_NOT_FOUND', `no workflow version ${versionId}`);
      return buildPlan(version, this.executors);
    });
    loading.catch(() => this.#plans.delete(versionId));
    if (this.#plans.size >= MAX_PLANS) {
      const oldest = this.#plans.keys().next().value;
      if (oldest !== undefined) this.#plans.delete(oldest);
    }
    this.#plans.set(versionId, loading);
    return loading;
  }

  /**
   * Loads the plan of a run's version ahead of a transition that needs it. A transition holds the
   * run's lock on one pooled connection; loading the version in there would need a second one, and
   * when every other connection of the pool is queued behind that same lock (concurrent decisions at
   * one gate) none ever comes: the process hangs. A missing run or version is the transition's to
   * report, so errors are dropped here.
   */
  async warmForRun(runId: string): Promise<void> {
    const run = await this.store.getRun(runId).catch(() => null);
    if (run) await this.get(run.workflowVersionId).catch(() => undefined);
  }

  /** The plan of the newest published version of a workflow, or null when it has none. */
  async latest(workflowId: string): Promise<ExecutionPlan | null> {
    const now = Date.now();
    let entry = this.#latest.get(workflowId);
    if (!entry || now - entry.at > LATEST_TTL_MS) {
      const versionId = this.store.latestVersion(workflowId).then((v) => v?.id ?? null);
      versionId.catch(() => this.#latest.delete(workflowId));
      entry = { at: now, versionId };
      this.#latest.set(workflowId, entry);
    }
    const id = await entry.versionId;
    return id === null ? null : this.get(id);
  }

  /** A version was published: the next webhook call looks the latest one up again. */
  published(workflowId: string): void {
    this.#latest.delete(workflowId);
  }

  forgetLatest(): void {
    this.#latest.clear();
  }
}
