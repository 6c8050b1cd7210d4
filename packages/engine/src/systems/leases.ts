// Leases: this process renews the leases of the steps it is executing; any process returns steps
// whose lease ran out (their worker died) to `ready`, with the same attempt, so the next execution
// sends the same idempotency key and the external side can recognise the repeat.
import type { RunEvent } from '@sluice/spec';
import type { EngineResources } from '../resources.js';
import { StepAborted } from './execution.js';

const REAP_BATCH = 200;

/** Publishes committed events grouped by run (claims and reaps span runs). */
export function publishByRun(res: EngineResources, events: readonly RunEvent[]): void {
  const byRun = new Map<string, RunEvent[]>();
  for (const event of events) {
    let list = byRun.get(event.runId);
    if (!list) byRun.set(event.runId, (list = []));
    list.push(event);
  }
  for (const [runId, list] of byRun) res.bus.publish(runId, list);
}

export class Leases {
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #reapTimer: NodeJS.Timeout | undefined;
  #stopped = true;

  constructor(private readonly res: EngineResources) {}

  start(): void {
    this.#stopped = false;
    const { leaseMs } = this.res.workers;
    this.#heartbeatTimer = setInterval(() => void this.renew(), Math.max(50, Math.floor(leaseMs / 3)));
    this.#heartbeatTimer.unref();
    this.#scheduleReap();
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#heartbeatTimer);
    clearTimeout(this.#reapTimer);
  }

  /** Renews the leases this process holds (all, or the one with token `only`); a lost one aborts its step. */
  async renew(only?: string): Promise<void> {
    const running = [...this.res.running.values()].filter(
      (r) => only === undefined || r.step.leaseToken === only,
    );
    if (running.length === 0) return;
    try {
      const held = await this.res.store.extendLeases(
        running.map((r) => r.step),
        this.res.workers.leaseMs,
      );
      for (const r of running) {
        if (!held.has(r.step.leaseToken) && this.res.running.get(r.step.leaseToken) === r) {
          r.controller.abort(new StepAborted('lease-lost'));
        }
      }
    } catch (error) {
      // Keep going: the lease has slack until expiry; a later beat may get through.
      this.res.log.warn(`lease renewal failed: ${error instanceof Error ? error.message : error}`);
    }
  }

  /** Returns steps with expired leases to `ready`; resolves with how many it returned. */
  async reap(): Promise<number> {
    const events = await this.res.store.reapExpiredLeases(REAP_BATCH, (step) => ({
      type: 'step.lease_expired',
      payload: { nodeId: step.nodeId, attempt: step.attempt, worker: step.leaseOwner },
    }));
    if (events.length > 0) {
      publishByRun(this.res, events);
      this.res.wakeWorkers();
    }
    return events.length;
  }

  #scheduleReap(): void {
    if (this.#stopped) return;
    // Jitter, so that processes started together do not all reap at the same instant.
    const delay = Math.max(100, this.res.workers.leaseMs / 2) * (0.75 + Math.random() / 2);
    this.#reapTimer = setTimeout(async () => {
      try {
        while (!this.#stopped && (await this.reap()) >= REAP_BATCH);
      } catch (error) {
        this.res.log.warn(`lease recovery failed: ${error instanceof Error ? error.message : error}`);
      }
      this.#scheduleReap();
    }, delay);
    this.#reapTimer.unref();
  }
}
