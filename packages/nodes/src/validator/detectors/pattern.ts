// The shape of one detector pattern and the loop that runs it over a text.
//
// Every pattern is written to stay linear on hostile input: quantifiers are bounded, and each pattern
// starts with a negative lookbehind so it cannot start in the middle of a run of the characters it
// matches (a failed attempt costs at most the bound, not the rest of the text). Checksums and other
// validation happen in code, after the match, never in the regex.
import type { Detector } from '../config.js';

/** A half-open range of UTF-16 code units, `[start, end)`. */
export interface Span {
  start: number;
  end: number;
}

/** One thing a detector found in a text: what, and where (never the value). */
export interface TextMatch extends Span {
  /** The configured detector that found it (also the redaction marker). */
  detector: Detector;
  /** The precise kind, e.g. `aws_access_key_id` or `jwt` for the `api_key` detector. */
  kind: string;
}

/** A regex plus the validation that turns a regex match into a finding. */
export interface PatternSpec {
  detector: Detector;
  kind: string;
  /** Must carry the `g` flag (and `d` when `group` is set). */
  pattern: RegExp;
  /** Cheap pre-test: the pattern cannot match a text without this. */
  needs?: RegExp;
  /** The capture group holding the sensitive part (default: the whole match). */
  group?: number;
  /** Returns the span to report (possibly narrowed), or undefined to reject the match. */
  accept?: (match: RegExpExecArray, text: string, span: Span) => Span | undefined;
}

/** Runs one pattern over `text`, appending accepted matches to `out`. */
export function runPattern(spec: PatternSpec, text: string, out: TextMatch[]): void {
  if (spec.needs && !spec.needs.test(text)) return;
  const re = spec.pattern;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const indices = spec.group === undefined ? undefined : m.indices?.[spec.group];
    const span: Span = indices
      ? { start: indices[0], end: indices[1] }
      : { start: m.index, end: m.index + m[0].length };
    const accepted = spec.accept ? spec.accept(m, text, span) : span;
    if (accepted && accepted.end > accepted.start) {
      out.push({ detector: spec.detector, kind: spec.kind, start: accepted.start, end: accepted.end });
    }
  }
}

/** The digits of a string. */
export function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}
