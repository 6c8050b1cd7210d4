// Follows one run's events over the `run.watch` subscription. Every event is delivered to the caller
// once and in sequence order: duplicates are dropped, and a gap (or the browser coming back online)
// restarts the subscription after the last event delivered, which the server replays from its log.
import type { RunEvent } from './run-event';

/** How the live connection is doing, for the page to say so. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'error';

export interface RunEventSource {
  /** Subscribes after `lastEventId` (null: from the start); returns a function that ends it. */
  subscribe(
    input: { runId: string; lastEventId: string | null },
    handlers: {
      onData: (item: { id: string; data: RunEvent }) => void;
      onError: (error: unknown) => void;
      onComplete: () => void;
      onConnectionStateChange: (state: { state: 'idle' | 'connecting' | 'pending'; error: unknown }) => void;
    },
  ): () => void;
}

export interface WatchHandlers {
  /** Called with each event exactly once, in order (`seq` = the previous one's + 1). */
  onEvent: (event: RunEvent) => void;
  onStatus: (status: LiveStatus, message?: string) => void;
}

export interface RunWatch {
  /** The last sequence number delivered. */
  readonly lastSeq: number;
  /** Restarts the subscription after the last delivered event (e.g. when the network returns). */
  resume(): void;
  stop(): void;
}

/**
 * Watches `runId` from after `afterSeq`.
 *
 * @example
 * const watch = watchRun(source, runId, 0, { onEvent: apply, onStatus: setStatus });
 * // later
 * watch.stop();
 */
export function watchRun(
  source: RunEventSource,
  runId: string,
  afterSeq: number,
  handlers: WatchHandlers,
): RunWatch {
  let lastSeq = afterSeq;
  let stopped = false;
  let finished = false;
  let unsubscribe: (() => void) | null = null;

  const start = () => {
    unsubscribe?.();
    if (stopped || finished) return;
    handlers.onStatus(lastSeq === afterSeq ? 'connecting' : 'reconnecting');
    let restarted = false;
    const restart = () => {
      if (restarted) return;
      restarted = true;
      queueMicrotask(start);
    };
    unsubscribe = source.subscribe(
      { runId, lastEventId: lastSeq > 0 ? String(lastSeq) : null },
      {
        onData: ({ data }) => {
          if (stopped || restarted) return;
          if (data.seq <= lastSeq) return;
          if (data.seq !== lastSeq + 1) {
            // Something was missed: ask again from what we have.
            restart();
            return;
          }
          lastSeq = data.seq;
          handlers.onEvent(data);
          if (data.type === 'run.succeeded' || data.type === 'run.failed' || data.type === 'run.cancelled') {
            finished = true;
            handlers.onStatus('ended');
          }
        },
        onError: (error) => {
          if (stopped || restarted) return;
          handlers.onStatus('error', error instanceof Error ? error.message : 'the live connection failed');
        },
        onComplete: () => {
          if (stopped || restarted) return;
          if (!finished) handlers.onStatus('ended');
        },
        onConnectionStateChange: ({ state }) => {
          if (stopped || restarted || finished) return;
          if (state === 'pending') handlers.onStatus('live');
          else if (state === 'connecting')
            handlers.onStatus(lastSeq > afterSeq ? 'reconnecting' : 'connecting');
        },
      },
    );
  };

  const onOnline = () => start();
  window.addEventListener('online', onOnline);
  start();

  return {
    get lastSeq() {
      return lastSeq;
    },
    resume: start,
    stop() {
      stopped = true;
      window.removeEventListener('online', onOnline);
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
