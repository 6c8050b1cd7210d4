// The run view's live state: the overlay folded from `run.watchBatches`, and how the connection is doing.
import { useEffect, useReducer, useState } from 'react';
import { takeFrame } from './frame-batch';
import { emptyOverlay, offer, type RunOverlay } from '../runs/overlay';
import { liveApi } from './client';
import type { RunEvent } from './run-event';
import { type LiveStatus, type RunEventSource, watchRun } from './watch-run';

/**
 * `run.watchBatches` over the live client, in the shape `watchRun` takes: each message holds every
 * event the server had waiting (so a page that falls behind catches up in a few messages), handed on
 * one by one.
 */
export const trpcRunEvents: RunEventSource = {
  subscribe(input, handlers) {
    const subscription = liveApi.run.watchBatches.subscribe(input, {
      onData: ({ data }) => {
        for (const event of data) handlers.onData({ id: String(event.seq), data: event });
      },
      onError: (error) => handlers.onError(error),
      onComplete: () => handlers.onComplete(),
      onConnectionStateChange: (state) => handlers.onConnectionStateChange(state),
    });
    return () => subscription.unsubscribe();
  },
};

function reduce(overlay: RunOverlay, event: RunEvent): RunOverlay {
  const result = offer(overlay, event);
  return result.kind === 'applied' ? result.overlay : overlay;
}

/**
 * Folds `runId`'s events into an overlay of `nodeIds`, from the first event on, live.
 *
 * @example
 * const { overlay, status } = useRunWatch(runId, nodeIds);
 */
export function useRunWatch(
  runId: string,
  nodeIds: readonly string[],
): { overlay: RunOverlay; status: LiveStatus; message: string | null } {
  const [overlay, dispatch] = useReducer(reduce, nodeIds, emptyOverlay);
  const [status, setStatus] = useState<{ status: LiveStatus; message: string | null }>({
    status: 'connecting',
    message: null,
  });
  useEffect(() => {
    let queue: RunEvent[] = [];
    let frame: number | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      frame = null;
      timer = null;
      const { now, later } = takeFrame(queue);
      queue = later;
      for (const event of now) dispatch(event);
      if (queue.length > 0) schedule();
    };
    const schedule = () => {
      if (frame !== null || timer !== null) return;
      // A hidden page gets no animation frames: apply on a timer so it is current when shown.
      if (document.visibilityState === 'hidden') timer = setTimeout(flush, 50);
      else frame = requestAnimationFrame(flush);
    };
    const watch = watchRun(trpcRunEvents, runId, 0, {
      onEvent: (event) => {
        queue.push(event);
        schedule();
      },
      onStatus: (next, message) => setStatus({ status: next, message: message ?? null }),
    });
    return () => {
      watch.stop();
      if (frame !== null) cancelAnimationFrame(frame);
      if (timer !== null) clearTimeout(timer);
    };
  }, [runId]);
  return { overlay, status: status.status, message: status.message };
}
