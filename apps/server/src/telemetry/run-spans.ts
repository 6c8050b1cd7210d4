// What the trace of one finished run holds, built from its committed record alone: the run row, its
// step rows and its event log (no engine hooks). One span for the run and one per step that ran,
// with the real start and end times; AI steps carry the GenAI semantic-convention attributes.
//
// Attributes are an allow-list: ids, kinds, statuses, attempts, error codes, model names and token
// counts. Never inputs, outputs, prompts, replies, credentials, reviewer comments or error messages
// (a message may quote data); `recordErrorMessages` opts in to the last.
import type { RunEvent, RunRecord, StepRecord } from '@sluice/engine';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '@opentelemetry/semantic-conventions/incubating';
import { z } from 'zod';

export type AttributeValue = string | number | boolean | string[];

/** A span to emit: names, times and attributes only. */
export interface SpanSpec {
  name: string;
  start: Date;
  end: Date;
  attributes: Record<string, AttributeValue>;
  error: { code: string; message?: string } | null;
  /** Point events in the span (retries, lost leases, waits). */
  events: Array<{ name: string; at: Date; attributes: Record<string, AttributeValue> }>;
}

export interface RunTrace {
  run: SpanSpec;
  steps: SpanSpec[];
}

/** What the version says about the run (its spec's node kinds). */
export interface RunVersion {
  workflowId: string;
  version: number;
  kinds: ReadonlyMap<string, string>;
}

// Only the fields read from an AI step's details; the rest (prompt, reply, system) is never touched.
const AiDetails = z.object({
  provider: z.string().max(64).optional(),
  model: z.string().max(200).optional(),
  finishReason: z.string().max(64).optional(),
  usage: z
    .object({
      inputTokens: z.number().int().min(0).optional(),
      outputTokens: z.number().int().min(0).optional(),
    })
    .optional(),
});

const ErrorCode = z.object({ code: z.string().max(64), message: z.string().optional() });

function errorOf(value: unknown, withMessage: boolean): SpanSpec['error'] {
  const parsed = ErrorCode.safeParse(value);
  if (!parsed.success) return null;
  return withMessage && parsed.data.message
    ? { code: parsed.data.code, message: parsed.data.message.slice(0, 500) }
    : { code: parsed.data.code };
}

/** The GenAI attributes of an AI step, from its recorded details. */
export function genAiAttributes(details: unknown): Record<string, AttributeValue> {
  const parsed = AiDetails.safeParse(details);
  if (!parsed.success) return {};
  const d = parsed.data;
  const attributes: Record<string, AttributeValue> = { [ATTR_GEN_AI_OPERATION_NAME]: 'chat' };
  if (d.provider) {
    attributes[ATTR_GEN_AI_PROVIDER_NAME] = d.provider;
    attributes[ATTR_GEN_AI_SYSTEM] = d.provider;
  }
  if (d.model) attributes[ATTR_GEN_AI_REQUEST_MODEL] = d.model;
  if (d.finishReason) attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = [d.finishReason];
  if (d.usage?.inputTokens !== undefined) attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = d.usage.inputTokens;
  if (d.usage?.outputTokens !== undefined) attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = d.usage.outputTokens;
  return attributes;
}

const at = (event: RunEvent) => new Date(event.at);

/** Step-level events worth a point in the step's span, by node. */
function stepEvents(events: readonly RunEvent[]): Map<string, SpanSpec['events']> {
  const byNode = new Map<string, SpanSpec['events']>();
  const add = (nodeId: string, event: SpanSpec['events'][number]) =>
    byNode.set(nodeId, [...(byNode.get(nodeId) ?? []), event]);
  for (const e of events) {
    if (e.type === 'step.started') {
      add(e.payload.nodeId, {
        name: 'step.started',
        at: at(e),
        attributes: { 'sluice.step.attempt': e.payload.attempt },
      });
    } else if (e.type === 'step.failed') {
      add(e.payload.nodeId, {
        name: 'step.failed',
        at: at(e),
        attributes: {
          'sluice.step.attempt': e.payload.attempt,
          'sluice.error.code': e.payload.error.code,
          'sluice.step.will_retry': e.payload.willRetry,
        },
      });
    } else if (e.type === 'step.lease_expired') {
      add(e.payload.nodeId, {
        name: 'step.lease_expired',
        at: at(e),
        attributes: { 'sluice.step.attempt': e.payload.attempt },
      });
    } else if (e.type === 'step.waiting') {
      add(e.payload.nodeId, { name: 'step.waiting', at: at(e), attributes: {} });
    }
  }
  return byNode;
}

/**
 * The spans of a finished run.
 *
 * @example
 * const trace = runTrace(run, steps, events, version, { recordErrorMessages: false });
 * trace.steps.length; // the steps that ran
 */
export function runTrace(
  run: RunRecord,
  steps: readonly StepRecord[],
  events: readonly RunEvent[],
  version: RunVersion,
  options: { recordErrorMessages: boolean },
): RunTrace {
  const started = run.startedAt ?? run.createdAt;
  const finished =
    run.finishedAt ??
    new Date(Math.max(started.getTime(), ...steps.map((s) => s.finishedAt?.getTime() ?? 0)));
  const points = stepEvents(events);
  const spans: SpanSpec[] = [];
  for (const step of steps) {
    if (step.startedAt === null) continue; // pending, or skipped without running
    const kind = version.kinds.get(step.nodeId) ?? 'unknown';
    const attributes: Record<string, AttributeValue> = {
      'sluice.run.id': run.id,
      'sluice.node.id': step.nodeId,
      'sluice.node.kind': kind,
      'sluice.step.status': step.status,
      'sluice.step.attempt': step.attempt,
    };
    if (typeof step.meta?.tokens === 'number') attributes['sluice.step.tokens'] = step.meta.tokens;
    if (kind === 'ai') Object.assign(attributes, genAiAttributes(step.meta?.details));
    const error = step.status === 'failed' ? errorOf(step.error, options.recordErrorMessages) : null;
    if (error) attributes['error.type'] = error.code;
    const end = step.finishedAt ?? finished;
    spans.push({
      name:
        kind === 'ai'
          ? `chat ${String(attributes[ATTR_GEN_AI_REQUEST_MODEL] ?? step.nodeId)}`
          : `step ${step.nodeId}`,
      start: step.startedAt,
      end: end.getTime() < step.startedAt.getTime() ? step.startedAt : end,
      attributes,
      error,
      events: points.get(step.nodeId) ?? [],
    });
  }
  const runError = run.status === 'failed' ? errorOf(run.error, options.recordErrorMessages) : null;
  return {
    run: {
      name: `run ${version.workflowId} v${version.version}`,
      start: started,
      end: finished,
      attributes: {
        'sluice.run.id': run.id,
        'sluice.workspace.id': run.workspaceId,
        'sluice.workflow.id': version.workflowId,
        'sluice.workflow.version': version.version,
        'sluice.workflow.version_id': run.workflowVersionId,
        'sluice.run.status': run.status,
        'sluice.run.tokens': run.tokensUsed,
        ...(run.parentRunId ? { 'sluice.run.parent_id': run.parentRunId } : {}),
        ...(runError ? { 'error.type': runError.code } : {}),
      },
      error: runError,
      events: [],
    },
    steps: spans,
  };
}
