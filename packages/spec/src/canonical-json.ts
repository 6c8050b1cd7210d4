import { isRecord } from './guards.js';

// Strings made only of printable ASCII other than `"` and `\` are written as they are; everything
// else goes through JSON.stringify (escapes and lone surrogates as JSON requires).
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const MAX_DEPTH = 1000;

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, numbers and strings as
 * `JSON.stringify` writes them (the RFC 8785 rules for JSON-compatible values). `undefined` object
 * members are skipped, as in JSON. Equal documents give byte-identical text, so their hashes match.
 *
 * Throws a `TypeError` for values JSON cannot carry (bigint, functions, symbols, non-finite numbers)
 * and for nesting deeper than 1,000 levels (which is also how a cycle shows up), so a hash is never
 * taken over a lossy rendering.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0);
}

function string(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

function write(value: unknown, depth: number): string {
  if (typeof value === 'string') return string(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not JSON`);
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  if (typeof value !== 'object') throw new TypeError(`canonicalJson: a ${typeof value} is not JSON`);
  if (depth > MAX_DEPTH)
    throw new TypeError('canonicalJson: the value nests too deeply (or contains a cycle)');
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      out += item === undefined ? 'null' : write(item, depth + 1);
    }
    return `${out}]`;
  }
  if (!isRecord(value)) throw new TypeError('canonicalJson: not a JSON value');
  const keys = Object.keys(value);
  if (!sorted(keys)) keys.sort(compareCodeUnits);
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = value[key];
    if (member === undefined) continue;
    out += first ? '' : ',';
    first = false;
    out += `${string(key)}:${write(member, depth + 1)}`;
  }
  return `${out}}`;
}

function sorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) {
    const previous = keys[i - 1];
    const current = keys[i];
    if (previous !== undefined && current !== undefined && previous > current) return false;
  }
  return true;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
