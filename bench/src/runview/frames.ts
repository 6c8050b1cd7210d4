// The in-page frame recorder of runview100 and the figures made from what it recorded. The page code
// is text (this package is typed for Node, not the DOM): `requestAnimationFrame` deltas, and the
// browser's own long-frame reports (`long-animation-frame`, else `longtask`) where it has them.

/** Installs the recorder as `globalThis.__runviewFrames`; it records until `STOP_RECORDER` runs. */
export const START_RECORDER = `(() => {
  const state = { deltas: [], last: null, running: true, long: [], longKind: null };
  globalThis.__runviewFrames = state;
  const tick = (now) => {
    if (state.last !== null) state.deltas.push(now - state.last);
    state.last = now;
    if (state.running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const supported = PerformanceObserver.supportedEntryTypes ?? [];
  const kind = supported.includes('long-animation-frame')
    ? 'long-animation-frame'
    : supported.includes('longtask') ? 'longtask' : null;
  state.longKind = kind;
  if (kind !== null) {
    state.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.long.push(entry.duration);
    });
    state.observer.observe({ type: kind });
  }
})()`;

/** Stops the recorder and returns what it recorded, as JSON text. */
export const STOP_RECORDER = `(() => {
  const state = globalThis.__runviewFrames;
  state.running = false;
  if (state.observer) {
    for (const entry of state.observer.takeRecords()) state.long.push(entry.duration);
    state.observer.disconnect();
  }
  return JSON.stringify({ deltas: state.deltas, long: state.long, longKind: state.longKind });
})()`;

/** What the page recorded. */
export interface Recorded {
  deltas: number[];
  long: number[];
  longKind: string | null;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * The frame figures: percentiles of the frame deltas; `vsync_ms`, the median delta of the same page
 * idle (`idle`: recorded while nothing arrives), which is the display's interval; `dropped_frames`, the
 * frames whose delta exceeds twice that; `missed_vsyncs`, how many vsync intervals those frames skipped
 * in all; `long_frames`, the browser's long-frame reports (work over 50 ms).
 */
export function frameFigures(recorded: Recorded, idle: Recorded) {
  const sorted = [...recorded.deltas].sort((a, b) => a - b);
  const vsync = percentile(
    [...idle.deltas].sort((a, b) => a - b),
    50,
  );
  const dropped = recorded.deltas.filter((delta) => delta > 2 * vsync);
  return {
    frames: recorded.deltas.length,
    vsync_ms: round1(vsync),
    frame_ms_p50: round1(percentile(sorted, 50)),
    frame_ms_p95: round1(percentile(sorted, 95)),
    frame_ms_p99: round1(percentile(sorted, 99)),
    frame_ms_max: round1(sorted.at(-1) ?? 0),
    long_frames: recorded.long.length,
    long_frame_ms_max: round1(Math.max(0, ...recorded.long)),
    dropped_frames: dropped.length,
    missed_vsyncs: dropped.reduce((n, delta) => n + Math.round(delta / vsync) - 1, 0),
  };
}
