// Workers: claim ready steps in batches (FOR UPDATE SKIP LOCKED, in the store) up to the
// concurrency, execute them, repeat. They sleep between claims and wake on a notification that
// steps became ready (this process or another), on a step finishing, or after the poll interval —
// earlier when a delayed retry comes due.
import type { EngineResources } from '../resources.js';
import { executeClaimed, StepAborted } from './execution.js';
import { type Leases, publishByRun } from './leases.js';

export class Workers {
  #active = false;
  #loop: Promise<void> | undefined;
  #wakeup: (() => void) | undefined;
  #woken = false;
  readonly #inflight = new Set<Promise<void>>();

  constructor(
    private readonly res: EngineResources,
    private readonly leases: Leases,
  ) {}

  start(): void {
    if (this.#active) return;
    this.#active = true;
    this.res.wakeWorkers = () => this.wake();
    this.#loop = this.#run();
  }

  wake(): void {
    this.#woken = true;
    this.#wakeup?.();
  }

  /** Stops claiming, then waits up to `graceMs` for running steps before aborting them. */
  async stop(graceMs: number): Promise<void> {
    if (!this.#active) return;
    this.#active = false;
    this.res.wakeWorkers = () => {};
    this.wake();
    await this.#loop;
    const all = Promise.allSettled([...this.#inflight]);
    const timer = setTimeout(() => {
      for (const r of this.res.running.values()) r.controller.abort(new StepAborted('stopping'));
    }, graceMs);
    await all;
    clearTimeout(timer);
  }

  async #run(): Promise<void> {
    const { concurrency, pollMs, leaseMs } = this.res.workers;
    while (this.#active) {
      const free = concurrency - this.#inflight.size;
      if (free <= 0) {
        // Every slot is busy: a step finishing wakes us (a wake-up now is about claimable work, which
        // has to wait for a slot anyway).
        this.#woken = false;
        await this.#sleep(pollMs);
        continue;
      }
      this.#woken = false;
      let claimed: number;
      try {
        const { steps, events } = await this.res.store.claim(
          { owner: this.res.workerId, limit: free, leaseMs },
          (step) => ({
            type: 'step.started',
            payload: { nodeId: step.nodeId, attempt: step.attempt, worker: this.res.workerId },
          }),
        );
        claimed = steps.length;
        if (claimed > 0) this.res.log.debug(`claimed ${claimed} step(s)`);
        publishByRun(this.res, events);
        for (const step of steps) {
          const running = executeClaimed(this.res, step, (id) => this.leases.renew(id));
          this.#inflight.add(running);
          void running.finally(() => {
            this.#inflight.delete(running);
            this.wake();
          });
        }
      } catch (error) {
        this.res.log.warn(`claiming steps failed: ${error instanceof Error ? error.message : error}`);
        await this.#sleep(pollMs);
        continue;
      }
      if (claimed === free || this.#woken) continue;
      await this.#sleep(await this.#untilDue(pollMs));
    }
  }

  /** How long to sleep: the poll interval, or less when a delayed step comes due sooner. */
  async #untilDue(pollMs: number): Promise<number> {
    try {
      const next = await this.res.store.nextAvailableAt();
      if (!next) return pollMs;
      return Math.max(5, Math.min(pollMs, next.getTime() - Date.now() + 5));
    } catch {
      return pollMs;
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#woken || !this.#active) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wakeup = () => {
        this.#wakeup = undefined;
        done();
      };
    });
  }
}
