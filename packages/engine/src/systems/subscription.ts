// One subscriber's view of a run's events: a queue fed by the bus (events offered as they commit) and
// by the log (whatever was missed), delivering each seq once and in order, as an async iterator.
import { isTerminalRunEvent, type RunEvent } from '@sluice/spec';
import { type Store, TERMINAL_RUN_STATUSES } from '../store.js';

/** Events read from the log at a time. */
export const PAGE = 500;

export class Subscription implements AsyncIterableIterator<RunEvent> {
  #queue: RunEvent[] = [];
  #wake: (() => void) | undefined;
  #filling = false;
  #refill = false;
  #closed = false;
  #failure: unknown;

  constructor(
    readonly runId: string,
    public delivered: number,
    private readonly store: Store,
    private readonly untilFinished: boolean,
    private readonly onClose: (sub: Subscription) => void,
  ) {}

  offer(events: readonly RunEvent[]): void {
    for (const event of events) {
      if (event.seq <= this.delivered) continue;
      if (event.seq !== this.delivered + 1) {
        this.fill();
        return;
      }
      this.#accept(event);
    }
  }

  /** Whether events wait in the queue and the iteration has not ended. */
  behindQueue(): boolean {
    return !this.#closed && this.#queue.length > 0;
  }

  /** Whether events up to `lastSeq` are still to be delivered. */
  behind(lastSeq: number): boolean {
    return !this.#closed && lastSeq > this.delivered;
  }

  /** Reads everything after what was delivered from the log; one read at a time, repeated if asked. */
  fill(): void {
    if (this.#closed) return;
    if (this.#filling) {
      this.#refill = true;
      return;
    }
    this.#filling = true;
    void (async () => {
      try {
        do {
          this.#refill = false;
          for (;;) {
            const events = await this.store.readEvents(this.runId, this.delivered, PAGE);
            for (const event of events) if (event.seq === this.delivered + 1) this.#accept(event);
            if (events.length < PAGE || this.#closed) break;
          }
        } while (this.#refill && !this.#closed);
        // Resuming after the last event of a finished run: its final event will not come again.
        if (this.untilFinished && !this.#closed && this.#queue.length === 0) {
          const run = await this.store.getRun(this.runId);
          if (run && TERMINAL_RUN_STATUSES.has(run.status) && run.lastSeq <= this.delivered) this.close();
        }
      } catch (error) {
        this.#failure = error;
        this.#wake?.();
      } finally {
        this.#filling = false;
      }
    })();
  }

  #accept(event: RunEvent): void {
    this.delivered = event.seq;
    this.#queue.push(event);
    this.#wake?.();
  }

  async next(): Promise<IteratorResult<RunEvent>> {
    for (;;) {
      const event = this.#queue.shift();
      if (event) {
        if (this.untilFinished && isTerminalRunEvent(event)) this.close();
        return { value: event, done: false };
      }
      if (this.#failure) throw this.#failure;
      if (this.#closed) return { value: undefined, done: true };
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }

  /**
   * Events already queued, up to `max`, without waiting (after `next()` gave one): a consumer that
   * sends what piled up as one message. Stops after a run's final event when `untilFinished`.
   */
  takeQueued(max: number): RunEvent[] {
    const taken: RunEvent[] = [];
    while (taken.length < max) {
      const event = this.#queue.shift();
      if (!event) break;
      taken.push(event);
      if (this.untilFinished && isTerminalRunEvent(event)) {
        this.close();
        break;
      }
    }
    return taken;
  }

  async return(): Promise<IteratorResult<RunEvent>> {
    this.close();
    this.#queue = [];
    return { value: undefined, done: true };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onClose(this);
    this.#wake?.();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<RunEvent> {
    return this;
  }
}
