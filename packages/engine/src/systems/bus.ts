// The live bus: committed run events to subscribers, and run completions to waiters. In-process
// commits are published right after they return; commits of other processes arrive as a
// notification (run id, last seq) and are read from the log. A subscription delivers each seq once,
// in order: what it has seen is dropped, and a gap is filled from the log before anything newer.
import { EngineError } from '../errors.js';
import type { RunEvent } from '@sluice/spec';
import type { StepStreamChunk } from '@sluice/nodes/server';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type RunRecord, type Store, TERMINAL_RUN_STATUSES } from '../store.js';
import { PAGE, Subscription } from './subscription.js';

export interface SubscribeOptions {
  /** Deliver events after this sequence number (0: from the start). */
  afterSeq?: number;
  signal?: AbortSignal;
  /** End the iteration after the run's final event. */
  untilFinished?: boolean;
}

type Waiter = (run: RunRecord) => void;

/**
 * Live-only news of a running step (an AI step's tokens): delivered to listeners in this process as
 * it happens, never stored, so a listener that was not there misses it (the step's result, stored
 * when it completes, carries the whole text).
 */
export interface LiveChunk {
  runId: string;
  nodeId: string;
  attempt: number;
  chunk: StepStreamChunk;
}

export type LiveListener = (chunk: LiveChunk) => void;

/** How often a step's text deltas are sent on to other processes (one NOTIFY per step per tick). */
const LIVE_FLUSH_MS = 40;
/** Most runs read in one statement when notifications pile up. */
const READ_RUNS_MAX = 256;
/** Keeps a NOTIFY payload under PostgreSQL's 8,000-byte limit, with room for the envelope. */
const LIVE_TEXT_MAX = 2_000;

/** A live chunk as broadcast to other processes: its origin lets a process skip its own echo. */
const LiveMessage = z.object({
  o: z.string(),
  r: z.string(),
  n: z.string(),
  a: z.number().int().min(1),
  c: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('text'), delta: z.string() }),
    z.object({ kind: z.literal('status'), message: z.string() }),
  ]),
});

export class LiveBus {
  readonly #subs = new Map<string, Set<Subscription>>();
  readonly #waiters = new Map<string, Set<Waiter>>();
  readonly #live = new Map<string, Set<LiveListener>>();
  readonly #activity = new Set<(runId: string) => void>();
  /** Runs whose subscribers are behind a notification, for the next read. */
  readonly #toRead = new Set<string>();
  /** Whether a read of new events is in flight (one at a time; it serves every run asked for). */
  #reading = false;
  readonly #origin = randomUUID();
  /** Text deltas waiting to be broadcast, by run, node and attempt. */
  readonly #outbox = new Map<string, { chunk: Omit<LiveChunk, 'runId'> & { runId: string }; text: string }>();
  #flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly store: Store) {}

  /** After a commit in this process: its events, and the run as the commit left it. */
  publish(runId: string, events: readonly RunEvent[], run?: RunRecord): void {
    const subs = this.#subs.get(runId);
    if (subs) for (const sub of subs) sub.offer(events);
    if (run && TERMINAL_RUN_STATUSES.has(run.status)) this.#resolve(run);
    this.#touched(runId);
  }

  /**
   * Listens to every run's commits, of this process and (where notifications arrive) of others:
   * the run's id, once or more per commit. A hint that something changed, for views of many runs
   * (the runs list); it carries no events. Returns the function that stops listening.
   */
  onActivity(listener: (runId: string) => void): () => void {
    this.#activity.add(listener);
    return () => this.#activity.delete(listener);
  }

  #touched(runId: string): void {
    for (const listener of this.#activity) listener(runId);
  }

  /** A running step's live-only news, to this process's listeners of the run. */
  publishLive(runId: string, chunk: Omit<LiveChunk, 'runId'>): void {
    this.#deliverLive({ runId, ...chunk });
    if (this.store.broadcastLive) this.#queueBroadcast({ runId, ...chunk });
  }

  /** Live news another process broadcast (its own echoes are skipped). */
  liveNotified(payload: string): void {
    let message: z.infer<typeof LiveMessage>;
    try {
      message = LiveMessage.parse(JSON.parse(payload));
    } catch {
      return;
    }
    if (message.o === this.#origin) return;
    this.#deliverLive({ runId: message.r, nodeId: message.n, attempt: message.a, chunk: message.c });
  }

  #deliverLive(message: LiveChunk): void {
    const listeners = this.#live.get(message.runId);
    if (!listeners) return;
    for (const listener of listeners) listener(message);
  }

  /** Text deltas of one step are merged for a tick, then sent as one notification (or a few). */
  #queueBroadcast(message: LiveChunk): void {
    if (message.chunk.kind !== 'text') {
      this.#send(message);
      return;
    }
    const key = `${message.runId}\u0000${message.nodeId}\u0000${message.attempt}`;
    const pending = this.#outbox.get(key);
    if (pending) pending.text += message.chunk.delta;
    else this.#outbox.set(key, { chunk: message, text: message.chunk.delta });
    if (this.#flushTimer === undefined) this.#flushTimer = setTimeout(() => this.#flush(), LIVE_FLUSH_MS);
  }

  #flush(): void {
    this.#flushTimer = undefined;
    const batch = [...this.#outbox.values()];
    this.#outbox.clear();
    for (const { chunk, text } of batch) {
      for (let i = 0; i < text.length; i += LIVE_TEXT_MAX) {
        this.#send({ ...chunk, chunk: { kind: 'text', delta: text.slice(i, i + LIVE_TEXT_MAX) } });
      }
    }
  }

  #send(message: LiveChunk): void {
    const chunk =
      message.chunk.kind === 'status'
        ? { kind: 'status' as const, message: message.chunk.message.slice(0, LIVE_TEXT_MAX) }
        : message.chunk;
    const payload = JSON.stringify({
      o: this.#origin,
      r: message.runId,
      n: message.nodeId,
      a: message.attempt,
      c: chunk,
    });
    // Live news is best effort: a lost broadcast costs a subscriber some tokens, never stored data.
    this.store.broadcastLive?.(payload).catch(() => undefined);
  }

  /** Listens to a run's live-only news; returns the function that stops listening. */
  onLive(runId: string, listener: LiveListener): () => void {
    let set = this.#live.get(runId);
    if (!set) this.#live.set(runId, (set = new Set()));
    set.add(listener);
    return () => {
      const current = this.#live.get(runId);
      current?.delete(listener);
      if (current?.size === 0) this.#live.delete(runId);
    };
  }

  /** Another process (or this one, echoed) committed events of a run up to `lastSeq`. */
  notified(runId: string, lastSeq: number): void {
    const subs = this.#subs.get(runId);
    if (subs && [...subs].some((sub) => sub.behind(lastSeq))) this.#readFor(runId);
    if (this.#waiters.has(runId)) this.#checkQuietly(runId);
    this.#touched(runId);
  }

  /**
   * Asks for a run's new events to be read for its subscriptions. One read at a time serves every run
   * asked for meanwhile (one statement for all of them, each run from the least delivered of its
   * subscriptions), so a burst of notifications costs a few round trips, not one per run queued
   * behind the pool. A subscription that finds a gap reads the log itself.
   */
  #readFor(runId: string): void {
    this.#toRead.add(runId);
    if (!this.#reading) void this.#readAll();
  }

  async #readAll(): Promise<void> {
    this.#reading = true;
    try {
      while (this.#toRead.size > 0) {
        const subsOf = new Map<string, Subscription[]>();
        const afterSeqs = new Map<string, number>();
        for (const runId of this.#toRead) {
          this.#toRead.delete(runId);
          const subs = [...(this.#subs.get(runId) ?? [])];
          if (subs.length === 0) continue;
          subsOf.set(runId, subs);
          afterSeqs.set(runId, Math.min(...subs.map((sub) => sub.delivered)));
          if (afterSeqs.size === READ_RUNS_MAX) break;
        }
        if (afterSeqs.size === 0) continue;
        try {
          const byRun = await this.store.readEventsOfRuns(afterSeqs, PAGE);
          for (const [runId, subs] of subsOf) {
            const events = byRun.get(runId) ?? [];
            for (const sub of subs) sub.offer(events);
            // A full page: there is more of this run to read.
            if (events.length === PAGE) this.#toRead.add(runId);
          }
        } catch {
          // Each subscription recovers on its own: reading the log itself.
          for (const subs of subsOf.values()) for (const sub of subs) sub.fill();
        }
      }
    } finally {
      this.#reading = false;
    }
  }

  /** The notification channel was re-established: anything may have been missed. */
  resync(): void {
    for (const subs of this.#subs.values()) for (const sub of subs) sub.fill();
    for (const runId of this.#waiters.keys()) this.#checkQuietly(runId);
  }

  /**
   * The events of a run after `afterSeq`: first those already committed, then live ones as they
   * commit, with no gap and no duplicate.
   *
   * @example
   * for await (const event of bus.subscribe(runId, { afterSeq: 0, untilFinished: true })) render(event);
   */
  subscribe(runId: string, options: SubscribeOptions = {}): AsyncIterableIterator<RunEvent> {
    const sub = new Subscription(
      runId,
      options.afterSeq ?? 0,
      this.store,
      options.untilFinished ?? false,
      (closed) => {
        const set = this.#subs.get(runId);
        set?.delete(closed);
        if (set?.size === 0) this.#subs.delete(runId);
      },
    );
    let set = this.#subs.get(runId);
    if (!set) this.#subs.set(runId, (set = new Set()));
    set.add(sub);
    options.signal?.addEventListener('abort', () => sub.close(), { once: true });
    if (options.signal?.aborted) sub.close();
    // Registered before reading, so nothing committed from here on can be missed.
    sub.fill();
    return sub;
  }

  /**
   * Like {@link subscribe}, in batches: each is every event that was waiting when the consumer asked
   * (at least one, at most `maxBatch`), in order. A slow consumer gets fewer, larger batches.
   *
   * @example
   * for await (const events of bus.subscribeBatches(runId, { untilFinished: true })) send(events);
   */
  async *subscribeBatches(
    runId: string,
    options: SubscribeOptions & { maxBatch?: number } = {},
  ): AsyncGenerator<RunEvent[], void, undefined> {
    const max = Math.max(1, options.maxBatch ?? PAGE);
    const sub = this.subscribe(runId, options) as Subscription;
    try {
      for (;;) {
        const first = await sub.next();
        if (first.done) return;
        yield [first.value, ...(sub.behindQueue() ? sub.takeQueued(max - 1) : [])];
      }
    } finally {
      await sub.return();
    }
  }

  /** Resolves with the run once it has finished; `TIMEOUT` after `timeoutMs`. */
  waitFor(runId: string, timeoutMs: number, signal?: AbortSignal): Promise<RunRecord> {
    return new Promise<RunRecord>((resolve, reject) => {
      let set = this.#waiters.get(runId);
      if (!set) this.#waiters.set(runId, (set = new Set()));
      const waiters = set;
      const done = (run: RunRecord) => {
        cleanup();
        resolve(run);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new EngineError('TIMEOUT', `run ${runId} did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      const onAbort = () => {
        cleanup();
        reject(signal?.reason ?? new Error('aborted'));
      };
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        waiters.delete(done);
        if (waiters.size === 0 && this.#waiters.get(runId) === waiters) this.#waiters.delete(runId);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiters.add(done);
      // Registered first, then checked: a run that finished before we registered is seen here.
      this.#check(runId).then(
        (run) => {
          if (run) return;
          cleanup();
          reject(new EngineError('RUN_NOT_FOUND', `no run ${runId}`));
        },
        (error: unknown) => {
          cleanup();
          reject(error);
        },
      );
    });
  }

  async #check(runId: string): Promise<RunRecord | null> {
    const run = await this.store.getRun(runId);
    if (run && TERMINAL_RUN_STATUSES.has(run.status)) this.#resolve(run);
    return run;
  }

  /** A waiter's own check reports errors; these extra checks only help, so their errors are dropped. */
  #checkQuietly(runId: string): void {
    this.#check(runId).catch(() => undefined);
  }

  #resolve(run: RunRecord): void {
    const waiters = this.#waiters.get(run.id);
    if (!waiters) return;
    for (const waiter of [...waiters]) waiter(run);
  }
}
