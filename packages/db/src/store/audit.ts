// `sluice audit verify`: recomputes every hash chain from the rows and names the first broken link
// of each chain: an event updated (its hash no longer matches), deleted (a gap, or a log shorter than
// the head its run recorded), reordered (a sequence number moved breaks its own and its neighbours'
// links), and step
// outputs, run inputs and run outputs that no longer match the hashes their events recorded.
//
// What a chain cannot show: someone who rewrites a whole chain from the tampered event onwards and
// the head on the run row too. Copying heads somewhere else (a later issue) closes that.
//
// Values encrypted at rest are opened with the data sealer to be checked; without one (no master key
// at hand) they are counted as not checked rather than reported as broken.
import { contentHash } from '@sluice/engine';
import pg from 'pg';
import { type ChainEvent, verifyChain } from '../chain';
import type { StoreSealer } from './sealing';
import { STEPS_OF_RUNS } from './sql';

export interface ChainBreak {
  chain: 'run' | 'workspace';
  /** The run id, or the workspace id for a workspace chain. */
  id: string;
  /** The first sequence number that does not verify. */
  seq: number;
  reason: string;
}

export interface AuditReport {
  runs: number;
  workspaces: number;
  events: number;
  /** Encrypted values whose hashes could not be checked (no data sealer was given). */
  sealedUnchecked: number;
  breaks: ChainBreak[];
}

/** A value whose content cannot be checked here (encrypted, no key). */
const UNCHECKED = Symbol('unchecked');

interface EventRow {
  id: string;
  workspace_id: string;
  run_id: string | null;
  seq: number;
  type: string;
  payload: unknown;
  actor_id: string | null;
  prev_hash: string;
  hash: string;
  created_at: Date;
}

const PAGE = 200;

/**
 * @example
 * const report = await verifyAudit(url);               // every chain
 * const one = await verifyAudit(url, { runId });      // one run's chain
 * for (const b of report.breaks) console.log(`${b.chain} ${b.id}: seq ${b.seq}: ${b.reason}`);
 */
export async function verifyAudit(
  url: string,
  options: { runId?: string; sealer?: StoreSealer } = {},
): Promise<AuditReport> {
  const client = new pg.Client({ connectionString: url, application_name: 'sluice-audit' });
  await client.connect();
  try {
    const report: AuditReport = { runs: 0, workspaces: 0, events: 0, sealedUnchecked: 0, breaks: [] };
    const open = async (workspaceId: string, value: unknown): Promise<unknown> => {
      if (value === null || typeof value !== 'object' || !('$sealed' in value)) return value;
      if (!options.sealer?.isSealed(value)) {
        report.sealedUnchecked++;
        return UNCHECKED;
      }
      return options.sealer.open(workspaceId, value);
    };
    let after = '';
    for (;;) {
      const runs = await client.query<RunHead>(
        options.runId === undefined
          ? `SELECT id, workspace_id, last_seq, last_hash, input, output, status FROM runs WHERE id > $1 ORDER BY id LIMIT ${PAGE}`
          : `SELECT id, workspace_id, last_seq, last_hash, input, output, status FROM runs WHERE id = $1`,
        [options.runId ?? after],
      );
      if (runs.rows.length === 0) break;
      await verifyRuns(client, runs.rows, report, open);
      if (options.runId !== undefined || runs.rows.length < PAGE) break;
      after = runs.rows.at(-1)?.id ?? after;
    }
    if (options.runId !== undefined && report.runs === 0) {
      report.breaks.push({ chain: 'run', id: options.runId, seq: 0, reason: 'there is no such run' });
    }
    if (options.runId === undefined) await verifyWorkspaces(client, report);
    return report;
  } finally {
    await client.end();
  }
}

interface RunHead {
  id: string;
  workspace_id: string;
  last_seq: number;
  last_hash: string;
  input: unknown;
  output: unknown;
  status: string;
}

async function verifyRuns(
  client: pg.Client,
  runs: RunHead[],
  report: AuditReport,
  open: (workspaceId: string, value: unknown) => Promise<unknown>,
): Promise<void> {
  const ids = runs.map((r) => r.id);
  const events = await client.query<EventRow>(
    `SELECT id, workspace_id, run_id, seq, type, payload, actor_id, prev_hash, hash, created_at
       FROM events WHERE run_id = ANY($1) ORDER BY run_id, seq, id`,
    [ids],
  );
  const steps = await client.query<{ run_id: string; node_id: string; output: unknown }>(
    `SELECT run_id, node_id, output FROM (${STEPS_OF_RUNS}) s WHERE status = 'succeeded'`,
    [ids],
  );
  const eventsByRun = group(events.rows, (e) => e.run_id ?? '');
  const workspaceOf = new Map(runs.map((r) => [r.id, r.workspace_id]));
  const outputs = new Map<string, unknown>();
  for (const s of steps.rows) {
    outputs.set(`${s.run_id}\u0000${s.node_id}`, await open(workspaceOf.get(s.run_id) ?? '', s.output));
  }
  for (const stored of runs) {
    const run = {
      ...stored,
      input: await open(stored.workspace_id, stored.input),
      output: await open(stored.workspace_id, stored.output),
    };
    report.runs++;
    const list = eventsByRun.get(run.id) ?? [];
    report.events += list.length;
    const problem = chainProblem(list, run.last_seq, run.last_hash) ?? contentProblem(run, list, outputs);
    if (problem) report.breaks.push({ chain: 'run', id: run.id, ...problem });
  }
}

async function verifyWorkspaces(client: pg.Client, report: AuditReport): Promise<void> {
  const heads = await client.query<{ id: string; last_seq: number }>(
    `SELECT id, last_seq FROM workspaces ORDER BY id`,
  );
  for (const workspace of heads.rows) {
    const events = await client.query<EventRow>(
      `SELECT id, workspace_id, run_id, seq, type, payload, actor_id, prev_hash, hash, created_at
         FROM events WHERE workspace_id = $1 AND run_id IS NULL ORDER BY seq, id`,
      [workspace.id],
    );
    report.workspaces++;
    report.events += events.rows.length;
    const problem = chainProblem(events.rows, workspace.last_seq, events.rows.at(-1)?.hash ?? null);
    if (problem) report.breaks.push({ chain: 'workspace', id: workspace.id, ...problem });
  }
}

/** Sequence, links and hashes (../chain.ts), and the head the owning row recorded. */
function chainProblem(
  rows: EventRow[],
  lastSeq: number,
  lastHash: string | null,
): { seq: number; reason: string } | undefined {
  const verdict = verifyChain(rows.map(toChainEvent));
  if (!verdict.ok) return { seq: verdict.seq, reason: verdict.reason };
  if (rows.length !== lastSeq) {
    return {
      seq: Math.min(rows.length, lastSeq) + 1,
      reason: `the log ends at sequence ${rows.length} but its head says ${lastSeq} (events deleted from the end?)`,
    };
  }
  if (lastHash !== null && rows.length > 0 && rows.at(-1)?.hash !== lastHash) {
    return { seq: rows.length, reason: 'the last event is not the head its run recorded' };
  }
  return undefined;
}

function contentProblem(
  run: RunHead,
  rows: EventRow[],
  outputs: Map<string, unknown>,
): { seq: number; reason: string } | undefined {
  const recorded = new Map<string, { seq: number; hash: string }>();
  for (const row of rows) {
    const payload = isRecord(row.payload) ? row.payload : {};
    if (
      row.type === 'run.started' &&
      run.input !== UNCHECKED &&
      payload.inputHash !== contentHash(run.input)
    ) {
      return { seq: row.seq, reason: 'the run input no longer matches the hash recorded here' };
    }
    if (
      row.type === 'run.succeeded' &&
      run.output !== UNCHECKED &&
      payload.outputHash !== contentHash(run.output)
    ) {
      return { seq: row.seq, reason: 'the run output no longer matches the hash recorded here' };
    }
    if (
      row.type === 'step.succeeded' &&
      typeof payload.nodeId === 'string' &&
      typeof payload.outputHash === 'string'
    ) {
      recorded.set(payload.nodeId, { seq: row.seq, hash: payload.outputHash });
    }
    if (row.type === 'steps.settled' && Array.isArray(payload.steps)) {
      for (const step of payload.steps) {
        if (
          isRecord(step) &&
          step.status === 'succeeded' &&
          typeof step.nodeId === 'string' &&
          typeof step.outputHash === 'string'
        ) {
          recorded.set(step.nodeId, { seq: row.seq, hash: step.outputHash });
        }
      }
    }
  }
  for (const [nodeId, { seq, hash }] of recorded) {
    const key = `${run.id}\u0000${nodeId}`;
    if (!outputs.has(key)) return { seq, reason: `step "${nodeId}" is no longer recorded as succeeded` };
    const output = outputs.get(key);
    if (output !== UNCHECKED && contentHash(output) !== hash) {
      return {
        seq,
        reason: `the stored output of step "${nodeId}" no longer matches the hash recorded here`,
      };
    }
  }
  return undefined;
}

function toChainEvent(row: EventRow): ChainEvent & { prevHash: string; hash: string } {
  return {
    workspaceId: row.workspace_id,
    runId: row.run_id,
    seq: row.seq,
    type: row.type,
    payload: row.payload,
    actorId: row.actor_id,
    createdAt: row.created_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function group<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(item);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
