// Rows of the engine's tables as the engine's records, and chaining event drafts onto a run's log
// with the one hashing rule of ../chain.ts.
import {
  RunEvent,
  type RunEventDraft,
  type RunRecord,
  type RunStatus,
  type StepRecord,
  type StepMeta,
  type StepStatus,
  type VersionRecord,
  type WaitRecord,
} from '@sluice/engine';
import { hashedEvent } from '../chain';
import { runStatuses, stepStatuses } from '../enums';

export interface RunRow {
  id: string;
  workspace_id: string;
  workflow_version_id: string;
  status: string;
  input: unknown;
  output: unknown;
  error: unknown;
  run_key: string | null;
  initiated_by_id: string | null;
  parent_run_id: string | null;
  last_seq: number;
  last_hash: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  tokens_used: number;
}

export interface WaitRow {
  run_id: string;
  node_id: string;
  workspace_id: string;
  kind: string;
  status: string;
  attempt: number;
  payload: unknown;
  payload_hash: string;
  /** The attempt a rerun replaced; absent when the read did not select these columns. */
  previous_attempt?: number | null;
  previous_payload?: unknown;
  previous_payload_hash?: string | null;
  request: Record<string, unknown>;
  state: Record<string, unknown>;
  expires_at: Date | null;
  created_at: Date;
  resolved_at: Date | null;
}

/** The replaced attempt of a wait row: null when none was kept, undefined when not read. */
function previousOf(row: WaitRow): WaitRecord['previous'] {
  if (row.previous_attempt === undefined) return undefined;
  if (row.previous_attempt === null || row.previous_payload_hash == null) return null;
  return {
    attempt: row.previous_attempt,
    payload: row.previous_payload ?? null,
    payloadHash: row.previous_payload_hash,
  };
}

export function toWaitRecord(row: WaitRow): WaitRecord {
  if (row.kind !== 'gate' && row.kind !== 'human') throw new Error(`unknown wait kind "${row.kind}"`);
  if (row.status !== 'open' && row.status !== 'resolved' && row.status !== 'cancelled') {
    throw new Error(`unknown wait status "${row.status}"`);
  }
  return {
    runId: row.run_id,
    nodeId: row.node_id,
    workspaceId: row.workspace_id,
    kind: row.kind,
    status: row.status,
    attempt: row.attempt,
    payload: row.payload,
    payloadHash: row.payload_hash,
    request: row.request,
    state: row.state,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    ...(row.previous_attempt === undefined ? {} : { previous: previousOf(row) }),
  };
}

export interface EventRow {
  run_id: string;
  workspace_id: string;
  seq: number;
  type: string;
  payload: unknown;
  actor_id: string | null;
  prev_hash: string;
  hash: string;
  created_at: Date;
}

/** What `joinJsonTexts` joins with: a control character, which JSON text holds only escaped. */
const JSON_TEXT_SEPARATOR = '\u001e';

/**
 * JSON texts as one statement parameter, for sql.ts's `jsonTexts` to split.
 *
 * @example
 * joinJsonTexts(['{"a":1}', '[2]']); // '{"a":1}\u001e[2]'
 */
export function joinJsonTexts(texts: readonly string[]): string {
  for (const text of texts) {
    if (text.includes(JSON_TEXT_SEPARATOR))
      throw new Error(`not JSON text (a raw U+001E): ${text.slice(0, 80)}`);
  }
  return texts.join(JSON_TEXT_SEPARATOR);
}

/** A chained event as stored: [seq, type, payload (its canonical JSON), actor_id, prev_hash, hash]. */
export type EventTuple = [number, string, string, string | null, string, string];

/** Events as the columns a statement's `eventRows` reads (sql.ts), the runs they belong to by index. */
export class EventColumns {
  readonly #run: number[] = [];
  readonly #seq: number[] = [];
  readonly #type: string[] = [];
  readonly #actor: (string | null)[] = [];
  readonly #prevHash: string[] = [];
  readonly #hash: string[] = [];
  readonly #payloads: string[] = [];

  /** Adds the events of the run at `runIndex` (1-based) of the statement's runs. */
  add(runIndex: number, rows: readonly EventTuple[]): void {
    for (const [seq, type, payload, actor, prevHash, hash] of rows) {
      this.#run.push(runIndex);
      this.#seq.push(seq);
      this.#type.push(type);
      this.#actor.push(actor);
      this.#prevHash.push(prevHash);
      this.#hash.push(hash);
      this.#payloads.push(payload);
    }
  }

  values(): unknown[] {
    return [
      this.#run,
      this.#seq,
      this.#type,
      this.#actor,
      this.#prevHash,
      this.#hash,
      joinJsonTexts(this.#payloads),
    ];
  }
}

function runStatus(value: string): RunStatus {
  const found = runStatuses.find((s) => s === value);
  if (!found) throw new Error(`unknown run status "${value}"`);
  return found;
}

function stepStatus(value: string): StepStatus {
  const found = stepStatuses.find((s) => s === value);
  if (!found) throw new Error(`unknown step status "${value}"`);
  return found;
}

export function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    workflowVersionId: row.workflow_version_id,
    status: runStatus(row.status),
    input: row.input,
    output: row.output,
    error: row.error,
    runKey: row.run_key,
    initiatedById: row.initiated_by_id,
    parentRunId: row.parent_run_id,
    lastSeq: row.last_seq,
    lastHash: row.last_hash,
    tokensUsed: row.tokens_used,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export function toStepRecord(row: {
  run_id: string;
  node_id: string;
  status: string;
  attempt: number;
  input: unknown;
  output: unknown;
  error: unknown;
  ports: string[] | null;
  meta: StepMeta | null;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  available_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}): StepRecord {
  return {
    runId: row.run_id,
    nodeId: row.node_id,
    status: stepStatus(row.status),
    attempt: row.attempt,
    input: row.input,
    output: row.output,
    error: row.error,
    ports: row.ports ?? [],
    meta: row.meta,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    availableAt: row.available_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export { stepStatus };

export function toVersionRecord(row: {
  id: string;
  workflow_id: string;
  workspace_id: string;
  version: number;
  spec: unknown;
  hash: string;
}): VersionRecord {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    workspaceId: row.workspace_id,
    version: row.version,
    spec: row.spec,
    hash: row.hash,
  };
}

/** A stored event as the engine's typed union; null for a type this build does not know. */
export function toRunEvent(row: EventRow): RunEvent | null {
  const parsed = RunEvent.safeParse({
    type: row.type,
    payload: row.payload,
    runId: row.run_id,
    workspaceId: row.workspace_id,
    seq: row.seq,
    at: row.created_at.toISOString(),
    actorId: row.actor_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  });
  return parsed.success ? parsed.data : null;
}

/**
 * Places drafts after a run's head: sequence numbers, one commit timestamp at millisecond precision
 * (as timestamptz(3) stores it, so the hash can be recomputed from the row; the statements store it
 * from the payload's `at`), and the hash chain.
 */
export function chainEvents(
  head: { runId: string; workspaceId: string; lastSeq: number; lastHash: string },
  drafts: readonly RunEventDraft[],
  at: Date,
): { events: RunEvent[]; rows: EventTuple[]; lastSeq: number; lastHash: string } {
  const createdAt = at.toISOString();
  const events: RunEvent[] = [];
  const rows: EventTuple[] = [];
  let prevHash = head.lastHash;
  let seq = head.lastSeq;
  for (const draft of drafts) {
    seq += 1;
    const actorId = draft.actorId ?? null;
    const { hash, payloadJson } = hashedEvent(prevHash, {
      workspaceId: head.workspaceId,
      runId: head.runId,
      seq,
      type: draft.type,
      payload: draft.payload,
      actorId,
      createdAt: at,
    });
    rows.push([seq, draft.type, payloadJson, actorId, prevHash, hash]);
    events.push(toEvent(draft, head, seq, createdAt, actorId, prevHash, hash));
    prevHash = hash;
  }
  return { events, rows, lastSeq: seq, lastHash: prevHash };
}

function toEvent(
  draft: RunEventDraft,
  head: { runId: string; workspaceId: string },
  seq: number,
  at: string,
  actorId: string | null,
  prevHash: string,
  hash: string,
): RunEvent {
  const { actorId: _drafted, ...body } = draft;
  return { runId: head.runId, workspaceId: head.workspaceId, seq, at, actorId, prevHash, hash, ...body };
}

/** A text[] literal for port names (identifiers: `^[a-z][A-Za-z0-9_]*$`, nothing to quote). */
export function portsLiteral(ports: readonly string[]): string | null {
  if (ports.length === 0) return null;
  for (const port of ports) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(port)) throw new Error(`"${port}" is not a port name`);
  }
  return `{${ports.join(',')}}`;
}
