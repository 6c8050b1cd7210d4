// Rolling per-node history, per workflow version and node: the measurements of its last N successful
// steps and the outcomes of its last N finished ones. Kept in memory and filled from the steps table
// the first time a node is seen, so a tick costs one query per node new to this process, not a
// scan of history each time. Entries are keyed by run, so a step is never counted twice.
import type { PrismaClient } from '../generated/prisma/client';
import { percentile } from './robust-stats';

/** What one successful step measured. */
export interface Measurement {
  durationMs: number | null;
  tokens: number | null;
  outputBytes: number | null;
}

/** How one finished step ended. */
export interface Outcome {
  failed: boolean;
  /** Failed because a validator blocked its data (VALIDATION_BLOCKED). */
  blocked: boolean;
}

export interface NodeHistory {
  successes: Array<Measurement & { runId: string }>;
  outcomes: Array<Outcome & { runId: string }>;
}

interface HistoryRow {
  run_id: string;
  status: string;
  error_code: string | null;
  duration_ms: number | null;
  tokens: number | null;
  output_bytes: number | null;
}

export class Baselines {
  readonly #histories = new Map<string, Promise<NodeHistory>>();

  constructor(
    private readonly prisma: PrismaClient,
    /** N: successes kept per node; outcomes keep N plus the rate rule's recent window. */
    private readonly size: { successes: number; outcomes: number },
  ) {}

  /** The node's history, loaded from the database on first use (without the runs in `exclude`). */
  history(versionId: string, nodeId: string, exclude: readonly string[] = []): Promise<NodeHistory> {
    const key = `${versionId}\n${nodeId}`;
    let found = this.#histories.get(key);
    if (!found) {
      found = this.#load(versionId, nodeId, exclude);
      this.#histories.set(key, found);
      found.catch(() => this.#histories.delete(key));
    }
    return found;
  }

  /** Durations of the node's successes loaded so far, or null before it was seen. */
  async durationP99(versionId: string, nodeId: string, minSamples: number): Promise<number | null> {
    const history = await this.history(versionId, nodeId);
    const durations = history.successes.flatMap((s) => (s.durationMs === null ? [] : [s.durationMs]));
    return durations.length >= minSamples ? percentile(durations, 99) : null;
  }

  /** Adds a success; false when that run's step was already counted. */
  addSuccess(history: NodeHistory, runId: string, measurement: Measurement): boolean {
    if (history.successes.some((s) => s.runId === runId)) return false;
    history.successes.push({ runId, ...measurement });
    if (history.successes.length > this.size.successes) history.successes.shift();
    return true;
  }

  /** Adds an outcome; false when that run's step was already counted. */
  addOutcome(history: NodeHistory, runId: string, outcome: Outcome): boolean {
    if (history.outcomes.some((o) => o.runId === runId)) return false;
    history.outcomes.push({ runId, ...outcome });
    if (history.outcomes.length > this.size.outcomes) history.outcomes.shift();
    return true;
  }

  async #load(versionId: string, nodeId: string, exclude: readonly string[]): Promise<NodeHistory> {
    // Newest first from the database, oldest first in memory.
    const rows = await this.prisma.$queryRaw<HistoryRow[]>`
      SELECT s.run_id, s.status::text AS status, s.error->>'code' AS error_code,
             (EXTRACT(EPOCH FROM (s.finished_at - s.started_at)) * 1000)::float8 AS duration_ms,
             (s.meta->>'tokens')::float8 AS tokens, octet_length(s.output::text)::float8 AS output_bytes
        FROM runs r JOIN steps s ON s.run_id = r.id AND s.node_id = ${nodeId}
       WHERE r.workflow_version_id = ${versionId} AND s.status IN ('succeeded', 'failed')
         AND s.finished_at IS NOT NULL AND s.started_at IS NOT NULL AND NOT (s.run_id = ANY(${[...exclude]}::text[]))
       ORDER BY s.finished_at DESC
       LIMIT ${this.size.outcomes}`;
    const oldestFirst = rows.reverse();
    const outcomes = oldestFirst.map((r) => ({
      runId: r.run_id,
      failed: r.status === 'failed',
      blocked: r.error_code === 'VALIDATION_BLOCKED',
    }));
    const successes = oldestFirst
      .filter((r) => r.status === 'succeeded')
      .slice(-this.size.successes)
      .map((r) => ({
        runId: r.run_id,
        durationMs: r.duration_ms,
        tokens: r.tokens,
        outputBytes: r.output_bytes,
      }));
    return { successes, outcomes };
  }
}
