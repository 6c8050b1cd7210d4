import { z } from 'zod';
import { ALL_DIAGNOSTIC_CODES, DIAGNOSTIC_CODES, type DiagnosticCode } from './diagnostic-codes.js';

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** A step into a JSON value: an object key or an array index. */
export const PathSegment = z.union([z.string(), z.number().int().nonnegative()]);
export type PathSegment = z.infer<typeof PathSegment>;

/** Character range inside an expression or template, for underlining in the editor. */
export const SourceRange = z.object({ start: z.number().int(), end: z.number().int() });
export type SourceRange = z.infer<typeof SourceRange>;

/**
 * One finding of the compiler: a stable code, a severity, a message for people, where it is
 * (node, edge, path inside the node such as `['config', 'tiers', 0, 'when']`) and how to fix it.
 *
 * @example
 * Diagnostic.parse({ code: 'SL101', name: 'DANGLING_EDGE', severity: 'error', message: '…', edgeId: 'e1' });
 */
export const Diagnostic = z.object({
  code: z.enum(ALL_DIAGNOSTIC_CODES),
  name: z.string(),
  severity: Severity,
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  path: z.array(PathSegment).optional(),
  hint: z.string().optional(),
  range: SourceRange.optional(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

export interface DiagnosticLocation {
  nodeId?: string;
  edgeId?: string;
  path?: PathSegment[];
  hint?: string;
  range?: SourceRange;
  severity?: Severity;
}

/**
 * Builds a diagnostic with the code's registered name and default severity.
 *
 * @example
 * diagnostic('SL601', 'node "draft" has no owner', { nodeId: 'draft', path: ['owner'] });
 */
export function diagnostic(
  code: DiagnosticCode,
  message: string,
  where: DiagnosticLocation = {},
): Diagnostic {
  const entry = DIAGNOSTIC_CODES[code];
  const out: Diagnostic = { code, name: entry.name, severity: where.severity ?? entry.severity, message };
  if (where.nodeId !== undefined) out.nodeId = where.nodeId;
  if (where.edgeId !== undefined) out.edgeId = where.edgeId;
  if (where.path !== undefined && where.path.length > 0) out.path = where.path;
  if (where.hint !== undefined) out.hint = where.hint;
  if (where.range !== undefined) out.range = where.range;
  return out;
}

/** Whether any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * Renders a path the way people read it.
 *
 * @example
 * formatPath(['config', 'tiers', 0, 'when']); // 'config.tiers[0].when'
 */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
