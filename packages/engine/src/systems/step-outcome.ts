// What a step's result becomes on the way to storage: its findings merged over paths, the meta stored
// beside its output, its output's hash, and an executor's failure as an error record.
import type { ErrorInfo, Finding } from '@sluice/spec';
import { StepError, type StepResult, type StepWait } from '@sluice/nodes/server';
import { asJson, contentHash } from '../ids.js';
import type { StepMeta } from '../store.js';

/** Findings of several paths, each once (a diamond brings the same finding twice). */
export function mergeFindings(lists: readonly (readonly Finding[] | undefined)[]): Finding[] {
  const seen = new Set<string>();
  const merged: Finding[] = [];
  for (const list of lists) {
    for (const finding of list ?? []) {
      const key = `${finding.nodeId}\u0000${finding.check}\u0000${finding.name}\u0000${finding.path}\u0000${finding.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      merged.push(finding);
    }
  }
  return merged;
}

/** What a step stores beside its output; null when there is nothing to store. */
export function stepMeta(findings: readonly Finding[], result?: StepResult | StepWait): StepMeta | null {
  const meta: StepMeta = {};
  if (findings.length > 0) meta.findings = [...findings];
  if (result?.details) meta.details = asJson(result.details) as Record<string, unknown>;
  if (result && 'output' in result && result.tokens) meta.tokens = result.tokens;
  return Object.keys(meta).length > 0 ? meta : null;
}

/** Whether an executor asked to wait (for a person) rather than finishing. */
export function isWait(result: StepResult | StepWait): result is StepWait {
  return 'wait' in result && typeof result.wait === 'object' && result.wait !== null;
}

/** The output's hash; an output that cannot be stored fails the step (OUTPUT_INVALID). */
export function hashOutput(output: unknown): string {
  try {
    return contentHash(output);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StepError('OUTPUT_INVALID', `the step's output cannot be stored: ${reason}`);
  }
}

/** Turns whatever an executor threw into an error record and whether a retry may help. */
export function errorInfo(error: unknown): { info: ErrorInfo; retryable: boolean } {
  if (error instanceof StepError) {
    return { info: { code: error.code, message: error.message.slice(0, 4000) }, retryable: error.retryable };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { info: { code: 'EXECUTOR_FAILED', message: message.slice(0, 4000) }, retryable: false };
}
