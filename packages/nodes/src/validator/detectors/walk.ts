// Walking a JSON value: every string (object keys included) and every long integer is scanned, each
// match reported with the JSON Pointer of where it is; redaction rebuilds the value with markers.
import { isRecord } from '@sluice/spec';
import { Detector } from '../config.js';
import type { TextMatch } from './pattern.js';
import { scanText } from './scan-text.js';

/** One match in a payload: what, where (JSON Pointer and UTF-16 offsets in that string), never the value. */
export interface PayloadMatch extends TextMatch {
  /** JSON Pointer (RFC 6901) of the string, with object keys that held a match shown redacted. */
  path: string;
  /** The match is in the object key at `path`, not in its value. */
  inKey?: true;
}

/** The marker that replaces a match: `[REDACTED:email]`. */
export const redactionMarker = (detector: Detector): string => `[REDACTED:${detector}]`;

/** Escapes one JSON Pointer segment. */
export const pointerSegment = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Replaces each match in `text` by its marker. */
export function redactText(text: string, matches: readonly TextMatch[]): string {
  let out = '';
  let last = 0;
  for (const m of matches) {
    out += text.slice(last, m.start) + redactionMarker(m.detector);
    last = m.end;
  }
  return out + text.slice(last);
}

/** Integers this long may be card numbers, phone numbers or ids written as JSON numbers. */
const MIN_SCANNED_INTEGER = 1e7;
const MAX_DEPTH = 1000;

interface WalkState {
  detectors: readonly Detector[];
  redact: boolean;
  matches: PayloadMatch[];
  /** Called with every string value (not keys) and its path, before redaction. */
  onString?: ((text: string, path: string) => void) | undefined;
}

function walk(value: unknown, path: string, state: WalkState, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new RangeError('the payload nests deeper than 1,000 levels');
  if (typeof value === 'string') {
    state.onString?.(value, path);
    const found = scanText(value, state.detectors);
    for (const m of found) state.matches.push({ ...m, path });
    return state.redact && found.length > 0 ? redactText(value, found) : value;
  }
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= MIN_SCANNED_INTEGER) {
    const text = String(value);
    const found = scanText(text, state.detectors).filter(
      (m) => m.end - m.start >= text.replace('-', '').length,
    );
    for (const m of found) state.matches.push({ ...m, path });
    const first = found[0];
    return state.redact && first ? redactionMarker(first.detector) : value;
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => walk(item, `${path}/${i}`, state, depth + 1));
  }
  if (isRecord(value)) {
    const entries: [string, unknown][] = [];
    const used = new Set<string>();
    for (const [key, member] of Object.entries(value)) {
      const inKey = scanText(key, state.detectors);
      // A key that holds a match is never written out in a path: it shows redacted, and under
      // redaction it is renamed (with a suffix if two keys would collide).
      let safeKey = inKey.length > 0 ? redactText(key, inKey) : key;
      if (inKey.length > 0 && used.has(safeKey)) {
        let n = 2;
        while (used.has(`${safeKey}#${n}`)) n++;
        safeKey = `${safeKey}#${n}`;
      }
      used.add(safeKey);
      const memberPath = `${path}/${pointerSegment(safeKey)}`;
      for (const m of inKey) state.matches.push({ ...m, path: memberPath, inKey: true });
      entries.push([state.redact ? safeKey : key, walk(member, memberPath, state, depth + 1)]);
    }
    // fromEntries defines own properties, so a `__proto__` key stays data and never a prototype.
    return state.redact ? Object.fromEntries(entries) : value;
  }
  return value;
}

/**
 * Scans every string of a JSON value (keys too) with the given detectors (default: all) and returns
 * what it found, where: detector, kind, JSON Pointer path and offsets, never the matched text. For
 * run-time handoff inspection and anywhere a payload must be checked for PII or secrets.
 *
 * @example
 * scanPayload({ customer: { email: 'ada@example.com' } });
 * // [{ detector: 'email', kind: 'email', path: '/customer/email', start: 0, end: 15 }]
 */
export function scanPayload(value: unknown, detectors?: readonly Detector[]): PayloadMatch[] {
  const state: WalkState = { detectors: detectors ?? ALL_DETECTORS, redact: false, matches: [] };
  walk(value, '', state, 0);
  return state.matches;
}

/**
 * A copy of a JSON value with every match replaced by `[REDACTED:<detector>]` (a long integer that is
 * a match becomes the marker string), and the matches, located in the input as {@link scanPayload}
 * reports them. The input is not modified.
 *
 * @example
 * redactPayload({ note: 'call +44 20 7946 0958' }, ['phone']).value; // { note: 'call [REDACTED:phone]' }
 */
export function redactPayload(
  value: unknown,
  detectors?: readonly Detector[],
): { value: unknown; matches: PayloadMatch[] } {
  const state: WalkState = { detectors: detectors ?? ALL_DETECTORS, redact: true, matches: [] };
  const redacted = walk(value, '', state, 0);
  return { value: redacted, matches: state.matches };
}

/** What {@link walkPayload} does besides scanning. */
export interface WalkOptions {
  /** Rebuild the value with every match replaced by its marker (default: return the input as is). */
  redact?: boolean;
  /** Visits every string value with its (key-redacted) JSON Pointer. */
  onString?: (text: string, path: string) => void;
}

/**
 * One pass over a JSON value: detector matches, the (optionally redacted) value, and a visit of every
 * string for other checks. Throws a `RangeError` past 1,000 levels of nesting.
 */
export function walkPayload(
  value: unknown,
  detectors: readonly Detector[],
  options: WalkOptions = {},
): { value: unknown; matches: PayloadMatch[] } {
  const state: WalkState = {
    detectors,
    redact: options.redact ?? false,
    matches: [],
    onString: options.onString,
  };
  const out = walk(value, '', state, 0);
  return { value: out, matches: state.matches };
}

/** Every detector. */
export const ALL_DETECTORS: readonly Detector[] = Detector.options;
