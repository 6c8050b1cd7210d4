import type { z } from 'zod';
import type { DiagnosticCode } from '../diagnostic-codes.js';
import { type Diagnostic, diagnostic, type PathSegment } from '../diagnostics.js';

const MAX_ISSUES = 12;

/** One readable sentence for a zod issue (unions report their first alternative's reason). */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union') {
    const first = issue.errors[0]?.[0];
    if (first) return first.message;
  }
  if (issue.code === 'unrecognized_keys') {
    return `unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  return issue.message;
}

function toSegments(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((p) => (typeof p === 'number' ? p : String(p)));
}

/**
 * Turns zod issues into diagnostics at `base` + the issue's path (`config.tiers[0].when`).
 *
 * @example
 * zodIssuesToDiagnostics(result.error.issues, 'SL201', ['config'], { nodeId: 'gate' });
 */
export function zodIssuesToDiagnostics(
  issues: readonly z.core.$ZodIssue[],
  code: DiagnosticCode,
  base: PathSegment[],
  where: { nodeId?: string; edgeId?: string },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues.slice(0, MAX_ISSUES)) {
    out.push(diagnostic(code, issueMessage(issue), { ...where, path: [...base, ...toSegments(issue.path)] }));
  }
  if (issues.length > MAX_ISSUES) {
    out.push(diagnostic(code, `${issues.length - MAX_ISSUES} more problems not shown`, { ...where }));
  }
  return out;
}
