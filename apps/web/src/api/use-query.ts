import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { describeError } from './client';

export type QueryState<T> =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'success'; data: T };

interface Settled<T> {
  key: string;
  attempt: number;
  state: QueryState<T>;
}

/**
 * Loads data for `key` and re-loads when the key changes; a request for a key that is no
 * longer current is aborted and its answer dropped, so a slow response never overwrites a
 * newer one.
 *
 * @example
 * const list = useQuery('workflow.list', (signal) => api.workflow.list.query(undefined, { signal }));
 */
export function useQuery<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
): QueryState<T> & { retry: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [settled, setSettled] = useState<Settled<T> | null>(null);
  const run = useEffectEvent(load);

  useEffect(() => {
    const controller = new AbortController();
    run(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setSettled({ key, attempt, state: { status: 'success', data } });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setSettled({ key, attempt, state: { status: 'error', message: describeError(error) } });
        }
      },
    );
    return () => controller.abort();
  }, [key, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const state: QueryState<T> =
    settled !== null && settled.key === key && settled.attempt === attempt
      ? settled.state
      : { status: 'loading' };
  return { ...state, retry };
}
