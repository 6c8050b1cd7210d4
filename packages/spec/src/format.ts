import { type Diagnostic, formatPath } from './diagnostics.js';

export interface FormatOptions {
  /** Print each diagnostic's fix hint on an indented line below it (default true). */
  hints?: boolean;
}

/**
 * One diagnostic as a compiler prints it: `file: node "x" config.path: error CODE message`.
 *
 * @example
 * formatDiagnostic('triage.json', d); // 'triage.json: node "gate" config.tiers[0].when: error SL402 No such key: amont'
 */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  const where: string[] = [];
  if (d.edgeId !== undefined) where.push(`edge "${d.edgeId}"`);
  else if (d.nodeId !== undefined) where.push(`node "${d.nodeId}"`);
  if (d.path !== undefined && d.path.length > 0) where.push(formatPath(d.path));
  const prefix = where.length > 0 ? `${file}: ${where.join(' ')}` : file;
  return `${prefix}: ${d.severity} ${d.code} ${d.message}`;
}

/**
 * All diagnostics as compiler output lines (with hints below them), then a summary line such as
 * `triage.json: 2 errors, 1 warning`. The CLI prints this and exits 1 when there is an error.
 *
 * @example
 * console.log(formatDiagnostics('triage.json', result.diagnostics));
 */
export function formatDiagnostics(
  file: string,
  diagnostics: readonly Diagnostic[],
  options: FormatOptions = {},
): string {
  const lines: string[] = [];
  for (const d of diagnostics) {
    lines.push(formatDiagnostic(file, d));
    if (options.hints !== false && d.hint) lines.push(`  hint: ${d.hint}`);
  }
  lines.push(`${file}: ${summarizeDiagnostics(diagnostics)}`);
  return lines.join('\n');
}

/**
 * Counts by severity, e.g. `2 errors, 1 warning` or `no problems`.
 *
 * @example
 * summarizeDiagnostics([]); // 'no problems'
 */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const count = (severity: Diagnostic['severity']): number =>
    diagnostics.filter((d) => d.severity === severity).length;
  const parts: string[] = [];
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const errors = count('error');
  const warnings = count('warning');
  const infos = count('info');
  if (errors) parts.push(plural(errors, 'error'));
  if (warnings) parts.push(plural(warnings, 'warning'));
  if (infos) parts.push(plural(infos, 'note'));
  return parts.length > 0 ? parts.join(', ') : 'no problems';
}
