// The monitor's cursor over the event log: each tick reads the events of interest committed since the
// last one, with what their step row says (its version, duration, tokens, output size, error code).
//
// Event ids are taken from a sequence before their transaction commits, so an id can become visible
// after a higher one. The cursor therefore only moves past events older than `settleMs`; newer ones
// are handed out once and remembered until the cursor passes them.
import type { PrismaClient } from '../generated/prisma/client';

/** An event the monitor reads, with its step's measurements when it names a step. */
export interface FeedEvent {
  id: bigint;
  workspaceId: string;
  runId: string | null;
  type: string;
  payload: Record<string, unknown>;
  actorId: string | null;
  at: Date;
  workflowVersionId: string | null;
  step: {
    status: string;
    attempt: number;
    durationMs: number | null;
    tokens: number | null;
    outputBytes: number | null;
    errorCode: string | null;
  } | null;
}

interface FeedRow {
  id: bigint;
  workspace_id: string;
  run_id: string | null;
  type: string;
  payload: unknown;
  actor_id: string | null;
  created_at: Date;
  settled: boolean;
  workflow_version_id: string | null;
  step_status: string | null;
  step_attempt: number | null;
  duration_ms: number | null;
  tokens: number | null;
  output_bytes: number | null;
  error_code: string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class EventFeed {
  #after: bigint | undefined;
  readonly #handed = new Set<bigint>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly types: readonly string[],
    private readonly options: { settleMs: number; batch: number },
  ) {}

  /** Starts after the newest event committed now: history before the monitor started is not replayed. */
  async startAtHead(): Promise<void> {
    const rows = await this.prisma.$queryRaw<Array<{ id: bigint | null }>>`SELECT max(id) AS id FROM events`;
    this.#after = rows[0]?.id ?? 0n;
  }

  /** The events committed since the last call (each handed out once), oldest first. */
  async next(): Promise<FeedEvent[]> {
    if (this.#after === undefined) await this.startAtHead();
    const after = this.#after ?? 0n;
    const rows = await this.prisma.$queryRaw<FeedRow[]>`
      SELECT e.id, e.workspace_id, e.run_id, e.type, e.payload, e.actor_id, e.created_at,
             e.created_at < now() - make_interval(secs => ${this.options.settleMs}::float8 / 1000) AS settled,
             r.workflow_version_id, s.status::text AS step_status, s.attempt AS step_attempt,
             (EXTRACT(EPOCH FROM (s.finished_at - s.started_at)) * 1000)::float8 AS duration_ms,
             (s.meta->>'tokens')::float8 AS tokens,
             octet_length(s.output::text)::float8 AS output_bytes,
             s.error->>'code' AS error_code
        FROM events e
        LEFT JOIN runs r ON r.id = e.run_id
        LEFT JOIN steps s ON s.run_id = e.run_id AND s.node_id = e.payload->>'nodeId'
       WHERE e.id > ${after} AND e.type = ANY(${[...this.types]}::text[])
       ORDER BY e.id
       LIMIT ${this.options.batch}`;
    const fresh: FeedEvent[] = [];
    let cursor = after;
    let blocked = false;
    for (const row of rows) {
      if (!this.#handed.has(row.id)) {
        this.#handed.add(row.id);
        fresh.push(toFeedEvent(row));
      }
      // Move past a prefix of settled events only: an unsettled one may still have lower ids behind it.
      if (!blocked && row.settled) cursor = row.id;
      else blocked = true;
    }
    this.#after = cursor;
    for (const id of this.#handed) if (id <= cursor) this.#handed.delete(id);
    return fresh;
  }
}

function toFeedEvent(row: FeedRow): FeedEvent {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    runId: row.run_id,
    type: row.type,
    payload: isRecord(row.payload) ? row.payload : {},
    actorId: row.actor_id,
    at: row.created_at,
    workflowVersionId: row.workflow_version_id,
    step:
      row.step_status === null
        ? null
        : {
            status: row.step_status,
            attempt: row.step_attempt ?? 0,
            durationMs: row.duration_ms,
            tokens: row.tokens,
            outputBytes: row.output_bytes,
            errorCode: row.error_code,
          },
  };
}
