// Group commit: concurrent units of work share one transaction. A single flusher takes everything
// queued, commits it as one batch, and hands each unit its result; while a batch is in flight, new
// units queue for the next one. Under load one fsync serves dozens of units; alone, a unit waits for
// nothing but its own commit. Nothing is answered before the commit that holds it.

export interface GroupCommitOptions {
  /** Most units per batch (the statement grows with it). */
  maxBatch?: number;
  /** Batches in flight at once; 1 = the classic single flusher. */
  maxInFlight?: number;
  /**
   * Most weight per batch (a unit always fits on its own). With `weigh`, a batch is cut by the work
   * it carries rather than by its count: one statement runs on one database core, so a few batches
   * of moderate size keep both the database's cores and the caller busy, where one huge batch
   * leaves them taking turns.
   */
  maxWeight?: number;
}

interface Pending<U, R> {
  unit: U;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * @example
 * const starts = new GroupCommitter((units) => insertRuns(pool, units));
 * const outcome = await starts.submit(newRun); // committed when this resolves
 */
export class GroupCommitter<U, R> {
  readonly #queue: Pending<U, R>[] = [];
  readonly #maxBatch: number;
  readonly #maxInFlight: number;
  readonly #maxWeight: number;
  #inFlight = 0;
  #scheduled = false;
  #batches = 0;
  #units = 0;

  constructor(
    private readonly flush: (units: U[]) => Promise<R[]>,
    options: GroupCommitOptions = {},
    private readonly weigh: (unit: U) => number = () => 1,
  ) {
    this.#maxBatch = options.maxBatch ?? 256;
    this.#maxInFlight = options.maxInFlight ?? 2;
    this.#maxWeight = options.maxWeight ?? Number.POSITIVE_INFINITY;
  }

  /** Resolves once nothing is queued or in flight. */
  async drain(): Promise<void> {
    while (this.#queue.length > 0 || this.#inFlight > 0 || this.#scheduled) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Batches committed and units they held, since the start (for benchmarks and metrics). */
  stats(): { batches: number; units: number } {
    return { batches: this.#batches, units: this.#units };
  }

  submit(unit: U): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ unit, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight) return;
    this.#scheduled = true;
    // Let the callbacks of the current I/O round (other requests arriving together) queue first.
    setImmediate(() => {
      this.#scheduled = false;
      this.#next();
    });
  }

  #next(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#batchLength());
      this.#inFlight++;
      this.#batches++;
      this.#units += batch.length;
      void this.#commit(batch).finally(() => {
        this.#inFlight--;
        this.#next();
      });
    }
  }

  /** How many queued units the next batch takes: up to maxBatch, and maxWeight after the first. */
  #batchLength(): number {
    const most = Math.min(this.#maxBatch, this.#queue.length);
    if (this.#maxWeight === Number.POSITIVE_INFINITY) return most;
    let weight = 0;
    for (let i = 0; i < most; i++) {
      const pending = this.#queue[i];
      weight += pending ? this.weigh(pending.unit) : 0;
      if (weight > this.#maxWeight) return Math.max(i, 1);
    }
    return most;
  }

  async #commit(batch: Pending<U, R>[]): Promise<void> {
    try {
      const results = await this.flush(batch.map((p) => p.unit));
      if (results.length !== batch.length) throw new Error('group commit: one result per unit expected');
      results.forEach((result, i) => batch[i]?.resolve(result));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One bad unit must not fail the others: commit each on its own to find it.
      for (const pending of batch) {
        let results: R[];
        try {
          results = await this.flush([pending.unit]);
        } catch (single) {
          pending.reject(single);
          continue;
        }
        const [result] = results;
        if (results.length === 1 && result !== undefined) pending.resolve(result);
        else pending.reject(new Error('group commit: one result per unit expected'));
      }
    }
  }
}
