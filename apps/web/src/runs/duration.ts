/** `850 ms`, `12.4 s`, `3 min 5 s`, `2 h 10 min`: a duration for people. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.floor((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The time between two ISO instants, or from `from` to now when `to` is null. */
export function between(from: string | null, to: string | null, now: number = Date.now()): string {
  if (from === null) return '—';
  const end = to === null ? now : Date.parse(to);
  return formatDuration(end - Date.parse(from));
}
