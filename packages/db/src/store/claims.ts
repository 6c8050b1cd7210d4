// Claiming ready steps under leases, renewing leases, and returning the steps of dead workers.
import type { ClaimedStep, ClaimOptions, Lease, RunEvent, RunEventDraft } from '@sluice/engine';
import type { Finding } from '@sluice/spec';
import type pg from 'pg';
import { checkout } from './checkout';
import { chainEvents, EventColumns } from './rows';
import { openIf, type StoreSealer } from './sealing';
import { APPEND_EVENTS, CLAIM, EXTEND_LEASES, NEXT_AVAILABLE, REAP } from './sql';

interface Head {
  runId: string;
  workspaceId: string;
  lastSeq: number;
  lastHash: string;
}

/**
 * Runs `work` in a transaction on its own connection; a broken connection is discarded. BEGIN is
 * pipelined with the work's first statement (the store's connections pipeline: see pg-store.ts).
 */
async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const { client, release } = await checkout(pool);
  let broken: Error | undefined;
  try {
    const begin = client.query('BEGIN');
    begin.catch(() => undefined); // awaited below; a failed BEGIN also fails the work's statements
    try {
      const result = await work(client);
      await begin;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: unknown) => {
        broken = rollback instanceof Error ? rollback : new Error(String(rollback));
      });
      throw error;
    }
  } finally {
    release(broken);
  }
}

/** Appends one event per item to each item's run chain, in order; heads move once per run. */
async function appendPerRun<T extends { runId: string }>(
  client: pg.PoolClient,
  heads: Map<string, Head>,
  items: readonly T[],
  draft: (item: T) => RunEventDraft,
  ready: boolean,
): Promise<RunEvent[]> {
  const at = new Date();
  const events: RunEvent[] = [];
  const byRun = new Map<string, T[]>();
  for (const item of items) {
    let list = byRun.get(item.runId);
    if (!list) byRun.set(item.runId, (list = []));
    list.push(item);
  }
  // Layout: see sql.ts (APPEND_EVENTS).
  const runs: unknown[][] = [];
  const columns = new EventColumns();
  for (const [runId, list] of byRun) {
    const head = heads.get(runId);
    if (!head) continue;
    const chain = chainEvents(head, list.map(draft), at);
    events.push(...chain.events);
    runs.push([runId, head.workspaceId, chain.lastSeq, chain.lastHash]);
    columns.add(runs.length, chain.rows);
  }
  if (runs.length > 0) {
    await client.query({
      name: 'sluice_append_events',
      text: APPEND_EVENTS,
      values: [JSON.stringify({ at: at.toISOString(), runs, ready }), ...columns.values()],
    });
  }
  return events;
}

export async function claimSteps(
  pool: pg.Pool,
  options: ClaimOptions,
  started: (step: ClaimedStep) => RunEventDraft,
  sealer?: StoreSealer,
): Promise<{ steps: ClaimedStep[]; events: RunEvent[] }> {
  if (options.limit <= 0) return { steps: [], events: [] };
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{
      run_id: string;
      node_id: string;
      attempt: number;
      input: unknown;
      lease_token: string;
      lease_expires_at: Date;
      workspace_id: string;
      workflow_version_id: string;
      last_seq: number;
      last_hash: string;
      findings: Finding[] | null;
      tokens_used: number;
      initiated_by_id: string | null;
    }>({ name: 'sluice_claim', text: CLAIM, values: [options.owner, options.limit, options.leaseMs] });
    if (rows.length === 0) return { steps: [], events: [] };
    const heads = new Map<string, Head>();
    const steps: ClaimedStep[] = rows.map((r) => {
      heads.set(r.run_id, {
        runId: r.run_id,
        workspaceId: r.workspace_id,
        lastSeq: r.last_seq,
        lastHash: r.last_hash,
      });
      return {
        leaseToken: r.lease_token,
        runId: r.run_id,
        workspaceId: r.workspace_id,
        workflowVersionId: r.workflow_version_id,
        nodeId: r.node_id,
        attempt: r.attempt,
        input: r.input,
        findings: r.findings ?? [],
        runTokens: r.tokens_used,
        initiatedById: r.initiated_by_id,
        leaseExpiresAt: r.lease_expires_at,
      };
    });
    for (const step of steps) step.input = await openIf(sealer, step.workspaceId, step.input);
    const events = await appendPerRun(client, heads, steps, started, false);
    return { steps, events };
  });
}

export async function extendLeases(
  pool: pg.Pool,
  leases: readonly Lease[],
  leaseMs: number,
): Promise<Set<string>> {
  if (leases.length === 0) return new Set();
  const { rows } = await pool.query<{ lease_token: string }>({
    name: 'sluice_extend_leases',
    text: EXTEND_LEASES,
    values: [
      leases.map((l) => l.runId),
      leases.map((l) => l.nodeId),
      leases.map((l) => l.leaseToken),
      leaseMs,
    ],
  });
  return new Set(rows.map((r) => r.lease_token));
}

export async function reapExpiredLeases(
  pool: pg.Pool,
  limit: number,
  expired: (step: { nodeId: string; attempt: number; leaseOwner: string }) => RunEventDraft,
): Promise<RunEvent[]> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{
      run_id: string;
      node_id: string;
      attempt: number;
      lease_owner: string | null;
      workspace_id: string;
      last_seq: number;
      last_hash: string;
    }>({ name: 'sluice_reap', text: REAP, values: [limit] });
    if (rows.length === 0) return [];
    const heads = new Map<string, Head>();
    for (const r of rows) {
      heads.set(r.run_id, {
        runId: r.run_id,
        workspaceId: r.workspace_id,
        lastSeq: r.last_seq,
        lastHash: r.last_hash,
      });
    }
    const items = rows.map((r) => ({
      runId: r.run_id,
      nodeId: r.node_id,
      attempt: r.attempt,
      leaseOwner: r.lease_owner ?? 'unknown',
    }));
    return appendPerRun(client, heads, items, expired, true);
  });
}

export async function nextAvailableAt(pool: pg.Pool): Promise<Date | null> {
  const { rows } = await pool.query<{ at: Date | null }>({
    name: 'sluice_next_available',
    text: NEXT_AVAILABLE,
  });
  return rows[0]?.at ?? null;
}
