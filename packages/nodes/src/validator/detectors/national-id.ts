// National identifiers: US SSN (structural rules), UK National Insurance number (structural rules),
// Spanish DNI and NIE (mod-23 check letter).
import { spanishIdValid } from './checksums.js';
import { digitsOf, type PatternSpec, type Span } from './pattern.js';

/** Numbers the SSA never issued or that are known to be published examples. */
const INVALID_SSNS = new Set(['078051120', '219099999', '123456789']);

/** SSA rules: area not 000, 666 or 9xx; group not 00; serial not 0000. */
export function ssnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || INVALID_SSNS.has(digits)) return false;
  const area = Number(digits.slice(0, 3));
  return (
    area !== 0 && area !== 666 && area < 900 && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000'
  );
}

const acceptSsn = (m: RegExpExecArray, _text: string, span: Span): Span | undefined =>
  ssnValid(digitsOf(m[0].slice(span.start - m.index, span.end - m.index))) ? span : undefined;

/** `123-45-6789`: the dashed form on its own. */
const ssnDashed: PatternSpec = {
  detector: 'ssn',
  kind: 'ssn',
  needs: /\d{3}-\d{2}-\d{4}/,
  pattern: /(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w]|[-.]\d)/g,
  accept: acceptSsn,
};

/** `SSN 123 45 6789`, `social security number: 123456789`: other forms only after the words. */
const ssnLabelled: PatternSpec = {
  detector: 'ssn',
  kind: 'ssn',
  needs: /\d{9}|\d{3} \d{2} \d{4}/,
  pattern: /\b(?:SSN|social security(?: number| no\.?)?)\W{0,5}(\d{3} ?\d{2} ?\d{4})(?![\w-])/dgi,
  group: 1,
  accept: acceptSsn,
};

/** UK NINO: two prefix letters from the allowed sets (not BG, GB, KN, NK, NT, TN, ZZ), six digits, A–D. */
const ukNino: PatternSpec = {
  detector: 'national_id',
  kind: 'uk_nino',
  needs: /\d{2}/,
  pattern:
    /(?<![A-Za-z0-9])(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z](?: ?\d{2}){3} ?[A-D](?![A-Za-z0-9])/g,
};

/** Spanish DNI `12345678Z` and NIE `X1234567L`, with the mod-23 check letter. */
const spanishId: PatternSpec = {
  detector: 'national_id',
  kind: 'es_dni',
  needs: /\d{7}/,
  pattern: /(?<![A-Za-z0-9-])(?:\d{8}|[XYZ]-?\d{7})-?[A-Z](?![A-Za-z0-9])/g,
  accept: (m, _text, span) => (spanishIdValid(m[0]) ? span : undefined),
};

export const ssnPatterns: readonly PatternSpec[] = [ssnDashed, ssnLabelled];
export const nationalIdPatterns: readonly PatternSpec[] = [ukNino, spanishId];
