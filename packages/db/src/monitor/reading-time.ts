// How long a reviewer needs, at least, to read what a gate shows them. Pure.
//
// What is counted: the gate payload's `summary` and its `shown` entries (labels and values, as
// text); the raw `input` only when nothing is shown. A sealed payload (encrypted at rest, so not
// readable here) is estimated from its ciphertext: base64 length × 3/4 bytes of JSON, six
// characters a word.

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Words in any JSON value: the words of its strings, one per number or boolean, keys included. */
export function countWords(value: unknown): number {
  if (typeof value === 'string') return value.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  if (typeof value === 'number' || typeof value === 'boolean') return 1;
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + countWords(v), 0);
  if (isRecord(value)) {
    return Object.entries(value).reduce(
      (n, [k, v]) => n + countWords(k.replace(/[_-]+/g, ' ')) + countWords(v),
      0,
    );
  }
  return 0;
}

/**
 * Words a reviewer is shown in a gate payload.
 *
 * @example
 * wordsShown({ summary: 'Refund 40 EUR to ACME', shown: [{ label: 'Reason', value: 'late' }], input: {} }); // 7
 */
export function wordsShown(payload: unknown): number {
  if (!isRecord(payload)) return countWords(payload);
  if (payload.$sealed === 'v1' && typeof payload.ct === 'string') {
    return Math.round((payload.ct.length * 3) / 4 / 6);
  }
  const shown = Array.isArray(payload.shown) ? payload.shown : [];
  const summary = typeof payload.summary === 'string' ? countWords(payload.summary) : 0;
  const entries = shown.reduce<number>(
    (n, entry) =>
      n + (isRecord(entry) ? countWords(entry.label) + countWords(entry.value) : countWords(entry)),
    0,
  );
  if (shown.length === 0 && 'input' in payload) return summary + countWords(payload.input);
  return summary + entries;
}

/** The least time, in ms, in which `words` can be read at `wordsPerSecond`. */
export function minimumReadingMs(words: number, wordsPerSecond: number): number {
  return (words / wordsPerSecond) * 1000;
}
