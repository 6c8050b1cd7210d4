// A query that refreshes itself while the page is visible: lists whose rows change on the server
// (runs, alerts, the approvals count) stay current without a reload.
import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { describeError } from '../api/client';

export type PolledState<T> =
  | { status: 'loading' }
  | { status: 'error'; message: string; data: T | null }
  | { status: 'success'; data: T; refreshing: boolean };

/**
 * Loads `key` at once and again every `intervalMs` while the document is visible; a new key starts
 * over. A failed refresh keeps the last data and reports the error beside it.
 *
 * @example
 * const runs = usePolledQuery(`runs:${filterKey}`, (signal) => api.run.list.query(filters, { signal }), 2000);
 */
export function usePolledQuery<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
  intervalMs: number,
): PolledState<T> & { refresh: () => void } {
  const [state, setState] = useState<{ key: string; value: PolledState<T> } | null>(null);
  const [nudge, setNudge] = useState(0);
  const run = useEffectEvent(load);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: T | null = null;
    const tick = () => {
      if (document.visibilityState === 'hidden') {
        timer = setTimeout(tick, intervalMs);
        return;
      }
      run(controller.signal).then(
        (data) => {
          if (controller.signal.aborted) return;
          last = data;
          setState({ key, value: { status: 'success', data, refreshing: false } });
          timer = setTimeout(tick, intervalMs);
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setState({ key, value: { status: 'error', message: describeError(error), data: last } });
          timer = setTimeout(tick, intervalMs * 2);
        },
      );
    };
    tick();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [key, intervalMs, nudge]);

  const refresh = useCallback(() => setNudge((n) => n + 1), []);
  const value: PolledState<T> = state !== null && state.key === key ? state.value : { status: 'loading' };
  return { ...value, refresh };
}
