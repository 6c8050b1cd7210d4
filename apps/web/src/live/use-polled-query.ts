// A query that stays current while the page is visible: lists whose rows change on the server (runs,
// alerts, approvals and their count) refetch when workspace news says their kind changed, and poll
// on their own every `intervalMs` as a safety net (a slow one when news is followed).
import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { describeError } from '../api/client';
import { coalesced } from './coalesced';
import { type NewsKind, workspaceNews } from './workspace-news';

export type PolledState<T> =
  | { status: 'loading' }
  | { status: 'error'; message: string; data: T | null }
  | { status: 'success'; data: T; refreshing: boolean };

/**
 * Loads `key` at once, again when `news` (if given) says that kind changed, and every `intervalMs`
 * while the document is visible; a new key starts over. Loads never overlap: news arriving during a
 * load makes one more load after it. A failed refresh keeps the last data and reports the error.
 *
 * @example
 * const runs = usePolledQuery(`runs:${filterKey}`, (signal) => api.run.list.query(filters, { signal }), fallbackPollMs(), 'runs');
 */
export function usePolledQuery<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
  intervalMs: number,
  news?: NewsKind,
): PolledState<T> & { refresh: () => void } {
  const [state, setState] = useState<{ key: string; value: PolledState<T> } | null>(null);
  const [nudge, setNudge] = useState(0);
  const run = useEffectEvent(load);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: T | null = null;
    /** Asked for while the page was hidden: load when it shows. */
    let missed = false;
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(tick, ms);
    };
    const once = async () => {
      clearTimeout(timer);
      try {
        const data = await run(controller.signal);
        if (controller.signal.aborted) return;
        last = data;
        setState({ key, value: { status: 'success', data, refreshing: false } });
        arm(intervalMs);
      } catch (error) {
        if (controller.signal.aborted) return;
        setState({ key, value: { status: 'error', message: describeError(error), data: last } });
        arm(intervalMs * 2);
      }
    };
    const loads = coalesced(once);
    function tick() {
      if (controller.signal.aborted) return;
      if (document.visibilityState === 'hidden') {
        missed = true;
        arm(intervalMs);
        return;
      }
      loads.request();
    }
    const onVisible = () => {
      if (document.visibilityState === 'visible' && missed) {
        missed = false;
        loads.request();
      }
    };
    document.addEventListener('visibilitychange', onVisible);
    const unfollow = news ? workspaceNews.follow(news, tick) : () => {};
    tick();
    return () => {
      controller.abort();
      clearTimeout(timer);
      unfollow();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [key, intervalMs, nudge, news]);

  const refresh = useCallback(() => setNudge((n) => n + 1), []);
  const value: PolledState<T> = state !== null && state.key === key ? state.value : { status: 'loading' };
  return { ...value, refresh };
}
