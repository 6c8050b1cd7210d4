// Every live event's arrival at a subscriber, kept in flat number arrays: 62,000 small objects that
// all survive would make each of this process's young-generation collections copy them, and those
// pauses (50 ms and more) delayed the very arrivals being measured.

/** Which run (its index among the measured runs) and which event, as one number. */
const SEQS_PER_RUN = 1 << 16;

export class Arrivals {
  #values = new Float64Array(3 * 4096);
  #length = 0;

  constructor(private readonly runIds: readonly string[]) {}

  /** Records that event `seq` of run number `run`, stamped at `stamped`, arrived at `arrived` (epoch ms). */
  add(run: number, seq: number, arrived: number, stamped: number): void {
    if (this.#length + 3 > this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#length] = run * SEQS_PER_RUN + seq;
    this.#values[this.#length + 1] = arrived;
    this.#values[this.#length + 2] = stamped;
    this.#length += 3;
  }

  /** Each arrival with its event's key as the committing process names it (`<runId>:<seq>`). */
  *entries(): Generator<{ key: string; arrived: number; stamped: number }> {
    for (let i = 0; i < this.#length; i += 3) {
      const id = this.#values[i] ?? 0;
      const run = this.runIds[Math.floor(id / SEQS_PER_RUN)];
      yield {
        key: `${run}:${id % SEQS_PER_RUN}`,
        arrived: this.#values[i + 1] ?? 0,
        stamped: this.#values[i + 2] ?? 0,
      };
    }
  }
}
