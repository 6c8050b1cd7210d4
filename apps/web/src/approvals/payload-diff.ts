// What changed between two payloads a reviewer is shown (the previous attempt's and this one's), as
// a list of paths: added, removed, or changed with old → new values. Objects are compared key by key
// and arrays index by index, so a change deep inside is named by its path (`input.items[2].price`)
// rather than as a whole new document. Pure: no I/O, no formatting beyond paths and short values.

/** One difference, at `path` (empty for the payload itself). */
export type PayloadChange =
  | { kind: 'added'; path: string; after: unknown }
  | { kind: 'removed'; path: string; before: unknown }
  | { kind: 'changed'; path: string; before: unknown; after: unknown };

export interface PayloadDiff {
  changes: PayloadChange[];
  /** True when more than `limit` changes were found and the rest left out. */
  truncated: boolean;
}

export interface DiffOptions {
  /** At most this many changes are listed. Default 200. */
  limit?: number;
  /** Below this depth a differing value is reported whole, as changed. Default 32. */
  maxDepth?: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `parent.key`, or `parent["odd key"]` when the key is not a plain name. */
export function keyPath(parent: string, key: string): string {
  if (IDENTIFIER.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Whether two JSON values are equal (key order does not matter). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameJson(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]));
  }
  return false;
}

/**
 * The changes from `before` to `after`, in document order (keys of `after` first, then keys only
 * `before` had).
 *
 * @example
 * diffPayloads({ amount: 10, to: 'a' }, { amount: 12, note: 'x' }).changes
 * // [{ kind: 'changed', path: 'amount', before: 10, after: 12 },
 * //  { kind: 'added', path: 'note', after: 'x' }, { kind: 'removed', path: 'to', before: 'a' }]
 */
export function diffPayloads(before: unknown, after: unknown, options: DiffOptions = {}): PayloadDiff {
  const limit = options.limit ?? 200;
  const maxDepth = options.maxDepth ?? 32;
  const changes: PayloadChange[] = [];
  let truncated = false;
  const add = (change: PayloadChange) => {
    if (changes.length < limit) changes.push(change);
    else truncated = true;
  };
  const walk = (path: string, a: unknown, b: unknown, depth: number): void => {
    if (truncated || sameJson(a, b)) return;
    if (depth < maxDepth && isObject(a) && isObject(b)) {
      for (const key of Object.keys(b)) {
        const at = keyPath(path, key);
        if (Object.hasOwn(a, key)) walk(at, a[key], b[key], depth + 1);
        else add({ kind: 'added', path: at, after: b[key] });
      }
      for (const key of Object.keys(a))
        if (!Object.hasOwn(b, key)) add({ kind: 'removed', path: keyPath(path, key), before: a[key] });
      return;
    }
    if (depth < maxDepth && Array.isArray(a) && Array.isArray(b)) {
      const common = Math.min(a.length, b.length);
      for (let i = 0; i < common; i++) walk(`${path}[${i}]`, a[i], b[i], depth + 1);
      for (let i = common; i < b.length; i++) add({ kind: 'added', path: `${path}[${i}]`, after: b[i] });
      for (let i = common; i < a.length; i++) add({ kind: 'removed', path: `${path}[${i}]`, before: a[i] });
      return;
    }
    add({ kind: 'changed', path, before: a, after: b });
  };
  walk('', before, after, 0);
  return { changes, truncated };
}

/** A value in one line of at most `max` characters: JSON, with long text cut and marked. */
export function shortValue(value: unknown, max = 120): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
