// Building findings and the blocked-step error. Findings and messages name kinds, paths and offsets,
// never the data: they travel downstream, into events and into gate rules.
import type { Finding } from '@sluice/spec';
import { StepError } from '../executor.js';
import type { Detector, ValidatorConfig } from './config.js';
import type { PayloadMatch } from './detectors/index.js';

type Action = ValidatorConfig['onFailure'];

const DETECTOR_SEVERITY: Readonly<Record<Detector, Finding['severity']>> = {
  email: 'medium',
  phone: 'medium',
  address: 'medium',
  ip_address: 'low',
  credit_card: 'high',
  iban: 'high',
  ssn: 'high',
  national_id: 'high',
  api_key: 'high',
};

/** At most this many detector findings are listed; the rest are counted in one summary finding. */
export const MAX_DETECTOR_FINDINGS = 200;

/** One finding per detector match (capped), saying what kind and where. */
export function detectorFindings(
  nodeId: string,
  matches: readonly PayloadMatch[],
  action: Action,
): Finding[] {
  const out: Finding[] = matches.slice(0, MAX_DETECTOR_FINDINGS).map((m) => ({
    nodeId,
    check: 'detector',
    name: m.detector,
    severity: DETECTOR_SEVERITY[m.detector],
    path: m.path,
    message: `${m.kind.replace(/_/g, ' ')} at characters ${m.start}–${m.end}${m.inKey ? ' of the key' : ''}${
      action === 'redact' ? ', redacted' : ''
    }`,
    action,
  }));
  const rest = matches.length - out.length;
  if (rest > 0) {
    out.push({
      nodeId,
      check: 'detector',
      name: 'more',
      severity: 'high',
      path: '',
      message: `${rest} more detector matches not listed${action === 'redact' ? ' (all redacted)' : ''}`,
      action,
    });
  }
  return out;
}

/** Replaces quoted text in a message from a library (CEL, JSON Schema) that might quote data. */
export function scrubQuoted(message: string): string {
  return message.replace(/"(?:[^"\\\n]|\\.){0,500}"|'(?:[^'\\\n]|\\.){0,500}'/g, '"…"').slice(0, 300);
}

const LISTED_IN_ERROR = 10;

/**
 * The error that blocks the step: every finding's check, name and path (the first ten, then a count),
 * never a value.
 */
export function blockedError(findings: readonly Finding[], reason: string): StepError {
  const listed = findings
    .slice(0, LISTED_IN_ERROR)
    .map((f) => `${f.check} ${f.name} at ${f.path === '' ? '(root)' : f.path}`);
  const more = findings.length > LISTED_IN_ERROR ? `; and ${findings.length - LISTED_IN_ERROR} more` : '';
  return new StepError('VALIDATION_BLOCKED', `${reason}: ${listed.join('; ')}${more}`, { retryable: false });
}
