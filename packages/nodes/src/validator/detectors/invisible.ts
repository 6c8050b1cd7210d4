// Invisible characters (zero-width, bidi controls, soft hyphen, Unicode tags): found, and stripped
// with an offset map, so a secret split by a zero-width space is still found and redacted whole.

/** Characters that render as nothing (or reorder text) and can hide or split content. */
export const INVISIBLE =
  /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\uDB40[\uDC00-\uDC7F]/g;

/** A text without its invisible characters, and where each remaining code unit came from. */
export interface Skeleton {
  text: string;
  /** `origin[i]` is the index in the original text of `text[i]`; `origin[text.length]` is its length. */
  origin: number[] | undefined;
}

/** Strips invisible characters; `origin` is undefined (identity) when there were none. */
export function skeleton(text: string): Skeleton {
  INVISIBLE.lastIndex = 0;
  if (!INVISIBLE.test(text)) return { text, origin: undefined };
  const origin: number[] = [];
  let out = '';
  let last = 0;
  INVISIBLE.lastIndex = 0;
  for (let m = INVISIBLE.exec(text); m !== null; m = INVISIBLE.exec(text)) {
    for (let i = last; i < m.index; i++) origin.push(i);
    out += text.slice(last, m.index);
    last = m.index + m[0].length;
  }
  for (let i = last; i < text.length; i++) origin.push(i);
  out += text.slice(last);
  origin.push(text.length);
  return { text: out, origin };
}

/** Maps a `[start, end)` range of the skeleton back to the original text. */
export function toOriginal(sk: Skeleton, start: number, end: number): { start: number; end: number } {
  if (!sk.origin) return { start, end };
  const from = sk.origin[start] ?? start;
  const last = sk.origin[end - 1];
  return { start: from, end: last === undefined ? from : last + 1 };
}
