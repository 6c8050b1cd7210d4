// Running the enabled detectors over one string: invisible characters stripped first, overlapping
// matches resolved (earliest first, then longest), spans mapped back to the original string.
import type { Detector } from '../config.js';
import { contactPatterns } from './contact.js';
import { financialPatterns } from './financial.js';
import { skeleton, toOriginal } from './invisible.js';
import { nationalIdPatterns, ssnPatterns } from './national-id.js';
import { networkPatterns } from './network.js';
import { type PatternSpec, runPattern, type TextMatch } from './pattern.js';
import { scanPrivateKeys, secretPatterns } from './secrets.js';

type TextScan = (text: string, out: TextMatch[]) => void;

const fromPatterns = (patterns: readonly PatternSpec[], detector: Detector): TextScan[] =>
  patterns.filter((p) => p.detector === detector).map((p) => (text, out) => runPattern(p, text, out));

/** The scans behind each detector. */
const SCANS: Readonly<Record<Detector, readonly TextScan[]>> = {
  email: fromPatterns(contactPatterns, 'email'),
  phone: fromPatterns(contactPatterns, 'phone'),
  address: fromPatterns(contactPatterns, 'address'),
  credit_card: fromPatterns(financialPatterns, 'credit_card'),
  iban: fromPatterns(financialPatterns, 'iban'),
  ssn: fromPatterns(ssnPatterns, 'ssn'),
  national_id: fromPatterns(nationalIdPatterns, 'national_id'),
  ip_address: fromPatterns(networkPatterns, 'ip_address'),
  api_key: [scanPrivateKeys, ...fromPatterns(secretPatterns, 'api_key')],
};

/** Secrets and the identifiers with checksums win a tie at the same start over looser formats. */
const PRIORITY: Readonly<Record<Detector, number>> = {
  api_key: 0,
  credit_card: 1,
  iban: 1,
  ssn: 2,
  national_id: 2,
  email: 3,
  ip_address: 4,
  phone: 5,
  address: 6,
};

/** Shorter strings cannot hold anything a detector reports (`a@b.co`). */
const MIN_LENGTH = 6;

/**
 * What the detectors find in one string, as non-overlapping spans of the original string (UTF-16
 * offsets), in order. Never returns the matched text.
 *
 * @example
 * scanText('mail ada@example.com', ['email']); // [{ detector: 'email', kind: 'email', start: 5, end: 20 }]
 */
export function scanText(text: string, detectors: readonly Detector[]): TextMatch[] {
  if (text.length < MIN_LENGTH || detectors.length === 0) return [];
  const sk = skeleton(text);
  const found: TextMatch[] = [];
  for (const detector of detectors) for (const scan of SCANS[detector]) scan(sk.text, found);
  if (found.length === 0) return found;
  found.sort((a, b) => a.start - b.start || b.end - a.end || PRIORITY[a.detector] - PRIORITY[b.detector]);
  const kept: TextMatch[] = [];
  let reach = 0;
  for (const match of found) {
    if (match.start < reach) continue;
    kept.push({ ...match, ...toOriginal(sk, match.start, match.end) });
    reach = match.end;
  }
  return kept;
}
