// Events after a finished run's last one: the live watch (`useRunWatch`) ends with the run, but an
// operator's rerun or rollback appends more. `follow()` picks the run up again after the last event
// shown and folds what comes onto that overlay, until the run ends again.
import { useCallback, useEffect, useRef, useState } from 'react';
import { trpcRunEvents } from '../live/use-run-watch';
import { type LiveStatus, watchRun } from '../live/watch-run';
import { offer, type RunOverlay } from './overlay';

/**
 * The overlay to show: `base` (the live watch's), or `base` with the followed events once `follow()`
 * was called after the live watch ended.
 *
 * @example
 * const { overlay, status, follow } = useRunFollow(runId, watched.overlay, watched.status);
 * api.run.rerun.mutate(...).then(follow);
 */
export function useRunFollow(
  runId: string,
  base: RunOverlay,
  baseStatus: LiveStatus,
): { overlay: RunOverlay; status: LiveStatus; follow: () => void } {
  const [followed, setFollowed] = useState<RunOverlay | null>(null);
  const [seed, setSeed] = useState<RunOverlay | null>(null);
  const [status, setStatus] = useState<LiveStatus | null>(null);
  const shown = followed ?? base;
  // Read by `follow`, which runs after a mutation resolves: the newest overlay, not the one of the
  // render that started the mutation.
  const latest = useRef({ shown, ended: baseStatus === 'ended' });
  useEffect(() => {
    latest.current = { shown, ended: baseStatus === 'ended' };
  });

  useEffect(() => {
    if (seed === null) return;
    const watch = watchRun(trpcRunEvents, runId, seed.lastSeq, {
      onEvent: (event) =>
        setFollowed((current) => {
          const result = offer(current ?? seed, event);
          return result.kind === 'applied' ? result.overlay : current;
        }),
      onStatus: (next) => setStatus(next),
    });
    return () => watch.stop();
  }, [runId, seed]);

  const follow = useCallback(() => {
    const { shown: now, ended } = latest.current;
    // While the live watch still runs it delivers the action's events itself.
    if (!ended && seed === null) return;
    setFollowed(now);
    setSeed(now);
  }, [seed]);
  return { overlay: shown, status: followed !== null && status !== null ? status : baseStatus, follow };
}
