// How often lists that follow workspace news still poll on their own: a slow safety net for notices
// lost while the stream was down. A test (or an operator debugging) may set it in local storage.

/** The default: the stream does the work, this only catches what it missed. */
export const DEFAULT_FALLBACK_POLL_MS = 30_000;

/** The local storage key that overrides the fallback interval (milliseconds, at least 1,000). */
export const FALLBACK_POLL_KEY = 'sluice.fallbackPollMs';

/** The fallback poll interval: the stored override when it is a whole number ≥ 1,000, else 30 s. */
export function fallbackPollMs(storage: Pick<Storage, 'getItem'> | null = safeStorage()): number {
  const raw = storage?.getItem(FALLBACK_POLL_KEY) ?? null;
  const value = raw === null ? Number.NaN : Number(raw);
  return Number.isInteger(value) && value >= 1_000 ? value : DEFAULT_FALLBACK_POLL_MS;
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
