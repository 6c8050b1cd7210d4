// A value that changes often, shown at most a few times a second: the first change at once, later
// ones together after `ms`, and the last one always; at once, too, whenever the caller says `now`.
import { useEffect, useRef, useState } from 'react';

/**
 * @example
 * const shown = useThrottled(overlay.timeline, 250); // a list that grows every frame, laid out 4×/s
 */
export function useThrottled<T>(value: T, ms: number, now = false): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = last.current + ms - performance.now();
    if (now || wait <= 0) {
      last.current = performance.now();
      setShown(value);
      return;
    }
    const timer = setTimeout(() => {
      last.current = performance.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, shown, ms, now]);
  return now ? value : shown;
}
