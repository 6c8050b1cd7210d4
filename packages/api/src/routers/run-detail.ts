// What the run view needs beyond the run row: the published version's canvas, the data labels the
// compiler derived for each node, and one step's detail (input, output, logs, attempts, timings) with
// the data masked for viewers whose role may not read its classification.
import { registry } from '@sluice/nodes';
import {
  Access,
  type Classification,
  classificationRank,
  compile,
  EditorGraph,
  joinAll,
  RunEvent,
} from '@sluice/spec';
import type { Actor } from '../context';

/** What masked data shows in place of a value: structure and keys stay, values do not. */
export const MASK = '••••••';

/**
 * Replaces every leaf of `value` by {@link MASK}, keeping object keys and array lengths, so that a
 * viewer sees which fields exist without seeing them.
 *
 * @example
 * maskValue({ email: 'a@b.c', tags: ['x'] }) // { email: '••••••', tags: ['••••••'] }
 */
export function maskValue(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map(maskValue);
  if (typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskValue(inner)]));
  return MASK;
}

/**
 * Whether `actor` may read data labelled `label` in a workflow with `access`: anything up to
 * `internal` is readable by every member; `confidential` by owners and the roles the workflow lets
 * operate, approve or audit it; `restricted` by owners and its auditors. Agent tokens never read
 * confidential data through the inspector.
 */
export function mayRead(actor: Actor, label: Classification, access: Access | null): boolean {
  if (classificationRank(label) < classificationRank('confidential')) return true;
  if (actor.type !== 'user') return false;
  if (actor.role === 'owner') return true;
  if (!access) return false;
  const roles: readonly string[] =
    label === 'restricted' ? access.audit : [...access.operate, ...access.approve, ...access.audit];
  return roles.includes(actor.role);
}

/** Per node: the label of the data it receives and of what it emits (the join over its ports). */
export interface NodeLabels {
  input: Classification;
  output: Classification;
}

// Versions are immutable: their analysis is computed once per process.
const labelCache = new Map<string, Map<string, NodeLabels>>();

/** The compiler's classification flow for a version's graph (empty when the graph does not parse). */
export function nodeLabels(versionId: string, graph: unknown): Map<string, NodeLabels> {
  const cached = labelCache.get(versionId);
  if (cached) return cached;
  const labels = new Map<string, NodeLabels>();
  const result = compile(graph, registry);
  for (const [nodeId, analysis] of Object.entries(result.analysis)) {
    const outputs = Object.values(analysis.classification.outputs);
    labels.set(nodeId, {
      input: analysis.classification.input,
      output: outputs.length > 0 ? joinAll(outputs) : analysis.classification.input,
    });
  }
  if (labelCache.size > 500) labelCache.clear();
  labelCache.set(versionId, labels);
  return labels;
}

/** The version's editor graph, or null when it does not parse (an older or damaged document). */
export function versionGraph(graph: unknown): EditorGraph | null {
  const parsed = EditorGraph.safeParse(graph);
  return parsed.success ? parsed.data : null;
}

/** The `access` block of a spec, or null. */
export function specAccess(spec: unknown): Access | null {
  if (typeof spec !== 'object' || spec === null || !('access' in spec)) return null;
  const parsed = Access.safeParse(spec.access);
  return parsed.success ? parsed.data : null;
}

export interface StepAttempt {
  attempt: number;
  status: 'running' | 'succeeded' | 'failed' | 'settled' | 'lease_expired';
  worker: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: { code: string; message: string } | null;
  willRetry: boolean;
}

export interface StepLog {
  seq: number;
  at: string;
  attempt: number;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  data: unknown;
}

/**
 * A node's attempts and log lines, read from its run's events in order. Events that do not parse as
 * run events (a damaged row) are left out here; the audit view reports them.
 */
export function stepHistory(
  nodeId: string,
  rows: ReadonlyArray<{ seq: number; type: string; payload: unknown; createdAt: Date }>,
): { attempts: StepAttempt[]; logs: StepLog[]; waitingReason: string | null } {
  const attempts = new Map<number, StepAttempt>();
  const logs: StepLog[] = [];
  let waitingReason: string | null = null;
  const attemptOf = (n: number): StepAttempt => {
    const existing = attempts.get(n);
    if (existing) return existing;
    const fresh: StepAttempt = {
      attempt: n,
      status: 'running',
      worker: null,
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      error: null,
      willRetry: false,
    };
    attempts.set(n, fresh);
    return fresh;
  };
  for (const row of rows) {
    const at = row.createdAt.toISOString();
    const parsed = RunEvent.safeParse({
      runId: 'r',
      workspaceId: 'w',
      seq: row.seq,
      at,
      actorId: null,
      prevHash: '0'.repeat(64),
      hash: '0'.repeat(64),
      type: row.type,
      payload: row.payload,
    });
    if (!parsed.success) continue;
    const event = parsed.data;
    switch (event.type) {
      case 'steps.settled':
        for (const step of event.payload.steps) {
          if (step.nodeId !== nodeId || step.status !== 'succeeded') continue;
          Object.assign(attemptOf(step.attempt), {
            status: 'settled',
            startedAt: at,
            finishedAt: at,
            durationMs: 0,
          });
        }
        break;
      case 'step.started':
        if (event.payload.nodeId === nodeId)
          Object.assign(attemptOf(event.payload.attempt), {
            status: 'running',
            worker: event.payload.worker,
            startedAt: at,
          });
        break;
      case 'step.succeeded':
        if (event.payload.nodeId === nodeId)
          Object.assign(attemptOf(event.payload.attempt), {
            status: 'succeeded',
            finishedAt: at,
            durationMs: event.payload.durationMs,
          });
        break;
      case 'step.failed':
        if (event.payload.nodeId === nodeId) {
          const attempt = attemptOf(event.payload.attempt);
          const started = attempt.startedAt ? Date.parse(attempt.startedAt) : null;
          Object.assign(attempt, {
            status: 'failed',
            finishedAt: at,
            durationMs: started === null ? null : Date.parse(at) - started,
            error: { code: event.payload.error.code, message: event.payload.error.message },
            willRetry: event.payload.willRetry,
          });
        }
        break;
      case 'step.lease_expired':
        if (event.payload.nodeId === nodeId)
          Object.assign(attemptOf(event.payload.attempt), { status: 'lease_expired' });
        break;
      case 'step.waiting':
        if (event.payload.nodeId === nodeId) waitingReason = event.payload.reason;
        break;
      case 'step.log':
        if (event.payload.nodeId === nodeId)
          logs.push({
            seq: event.seq,
            at,
            attempt: event.payload.attempt,
            level: event.payload.level,
            message: event.payload.message,
            data: event.payload.data ?? null,
          });
        break;
      default:
        break;
    }
  }
  return { attempts: [...attempts.values()].sort((a, b) => a.attempt - b.attempt), logs, waitingReason };
}
