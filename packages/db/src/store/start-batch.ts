// Committing a batch of new runs (the group commit's flush): one statement, one round trip, one
// fsync for all of them. Run keys are deduplicated inside the batch; a key already taken in the
// database yields the run it started.
import type { NewRun, RunEvent, StartOutcome, StepInsert, WaitWrite } from '@sluice/engine';
import type pg from 'pg';
import { genesisHash } from '../chain';
import { chainEvents, EventColumns, joinJsonTexts, portsLiteral, type RunRow, toRunRecord } from './rows';
import { openRun, sealIf, type StoreSealer } from './sealing';
import { FIND_RUNS_BY_KEY, GET_RUN, START_RUNS } from './sql';

function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

/** The step tuple of sql.ts: [node_id, status, attempt, output, error, ports, input, available_at, meta?]. */
export function stepTuple(step: StepInsert): unknown[] {
  const tuple = [
    step.nodeId,
    step.status,
    step.attempt,
    step.output ?? null,
    step.error ?? null,
    portsLiteral(step.ports),
    step.input ?? null,
    iso(step.availableAt),
  ];
  if (step.meta !== undefined) tuple.push(step.meta);
  return tuple;
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** New runs' steps as the column arrays START_RUNS unnests ($3–$12), from step tuples. */
class StepColumns {
  readonly run: number[] = [];
  readonly node: unknown[] = [];
  readonly status: unknown[] = [];
  readonly attempt: unknown[] = [];
  readonly output: (string | null)[] = [];
  readonly error: (string | null)[] = [];
  readonly ports: unknown[] = [];
  readonly input: (string | null)[] = [];
  readonly availableAt: unknown[] = [];
  readonly meta: (string | null)[] = [];

  /** Adds the steps of the run at `runIndex` (1-based) of the statement's run ids. */
  add(runIndex: number, tuples: readonly unknown[][]): void {
    for (const [node, status, attempt, output, error, ports, input, availableAt, meta] of tuples) {
      this.run.push(runIndex);
      this.node.push(node);
      this.status.push(status);
      this.attempt.push(attempt);
      this.output.push(jsonOrNull(output));
      this.error.push(jsonOrNull(error));
      this.ports.push(ports);
      this.input.push(jsonOrNull(input));
      this.availableAt.push(availableAt);
      this.meta.push(jsonOrNull(meta));
    }
  }

  values(): unknown[] {
    return [
      this.run,
      this.node,
      this.status,
      this.attempt,
      this.output,
      this.error,
      this.ports,
      this.input,
      this.availableAt,
      this.meta,
    ];
  }
}

/** Step tuples, with the data of sealed steps encrypted. */
export async function sealedStepTuples(
  sealer: StoreSealer | undefined,
  workspaceId: string,
  steps: readonly StepInsert[],
): Promise<unknown[][]> {
  // The common case (nothing confidential) stays synchronous: this runs for every step of every run.
  if (!steps.some((step) => step.sealed)) return steps.map(stepTuple);
  return Promise.all(
    steps.map(async (step) =>
      step.sealed
        ? stepTuple({
            ...step,
            output: await sealIf(sealer, workspaceId, true, step.output),
            input: await sealIf(sealer, workspaceId, true, step.input),
            // Details (an AI step's prompt and reply) are step data too; findings hold no values.
            meta: step.meta?.details
              ? {
                  ...step.meta,
                  details: (await sealIf(sealer, workspaceId, true, step.meta.details)) as Record<
                    string,
                    unknown
                  >,
                }
              : step.meta,
          })
        : stepTuple(step),
    ),
  );
}

/** Wait tuples, with the payloads of sealed waits encrypted. */
export async function sealedWaitTuples(
  sealer: StoreSealer | undefined,
  workspaceId: string,
  waits: readonly WaitWrite[],
): Promise<unknown[][]> {
  if (!waits.some((wait) => wait.op === 'open' && wait.sealed)) return waits.map(waitTuple);
  return Promise.all(
    waits.map(async (wait) =>
      wait.op === 'open' && wait.sealed
        ? waitTuple({ ...wait, payload: await sealIf(sealer, workspaceId, true, wait.payload) })
        : waitTuple(wait),
    ),
  );
}

/** The wait tuple of sql.ts: [node_id, op, kind, attempt, payload, payload_hash, request, expires_at, state]. */
export function waitTuple(wait: WaitWrite): unknown[] {
  switch (wait.op) {
    case 'open':
      return [
        wait.nodeId,
        'open',
        wait.kind,
        wait.attempt,
        wait.payload ?? null,
        wait.payloadHash,
        wait.request,
        iso(wait.expiresAt),
        null,
      ];
    case 'update':
      // The tenth element says whether the expiry changes (null is a valid new expiry: never).
      return [
        wait.nodeId,
        'update',
        null,
        null,
        null,
        null,
        null,
        iso(wait.expiresAt),
        wait.state,
        wait.expiresAt === undefined ? 'keep' : 'set',
      ];
    case 'resolve':
      return [wait.nodeId, 'resolve', null, null, null, null, null, null, wait.state ?? null];
    case 'cancel':
      return [wait.nodeId, 'cancel', null, null, null, null, null, null, null];
  }
}

const FINAL_RUN = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * A run that finished in the commit that starts it (pure steps only, nothing waiting) keeps its
 * steps as one step set: nothing claims, leases or fences them, and one row costs the database a
 * small part of what one row per step does.
 */
export function settledAtStart(unit: NewRun): boolean {
  return FINAL_RUN.has(unit.run.status) && (unit.waits?.length ?? 0) === 0;
}

export function startRunsFlush(
  pool: pg.Pool,
  sealer?: StoreSealer,
): (units: NewRun[]) => Promise<StartOutcome[]> {
  return async (units) => {
    const at = new Date();
    const firstWithKey = new Map<string, number>();
    const duplicateOf = new Map<number, number>();
    const chained = new Map<number, RunEvent[]>();
    const runs: unknown[][] = [];
    const runIds: string[] = [];
    const steps = new StepColumns();
    const events = new EventColumns();
    const stepSetRuns: number[] = [];
    const stepSets: unknown[][][] = [];
    let ready = false;
    const sealed = await Promise.all(
      units.map(async (unit) => ({
        input: await sealIf(sealer, unit.run.workspaceId, unit.run.sealInput, unit.run.input ?? null),
        output: await sealIf(sealer, unit.run.workspaceId, unit.run.sealOutput, unit.run.output ?? null),
        steps: await sealedStepTuples(sealer, unit.run.workspaceId, unit.steps),
        waits: await sealedWaitTuples(sealer, unit.run.workspaceId, unit.waits ?? []),
      })),
    );
    units.forEach((unit, i) => {
      const { run } = unit;
      const stored = sealed[i];
      if (!stored) throw new Error('unreachable: every unit was sealed');
      if (run.runKey !== null) {
        const key = `${run.workspaceId}\u0000${run.runKey}`;
        const first = firstWithKey.get(key);
        if (first !== undefined) {
          duplicateOf.set(i, first);
          return;
        }
        firstWithKey.set(key, i);
      }
      const chain = chainEvents(
        { runId: run.id, workspaceId: run.workspaceId, lastSeq: 0, lastHash: genesisHash },
        unit.events,
        at,
      );
      chained.set(i, chain.events);
      runs.push([
        run.id,
        run.workspaceId,
        run.workflowVersionId,
        run.status,
        stored.input,
        stored.output,
        run.error ?? null,
        run.runKey,
        run.initiatedById,
        run.parentRunId,
        chain.lastSeq,
        chain.lastHash,
        run.startedAt.toISOString(),
        iso(run.finishedAt),
        unit.tokens ?? 0,
        stored.waits,
      ]);
      runIds.push(run.id);
      events.add(runIds.length, chain.rows);
      if (settledAtStart(unit)) {
        stepSetRuns.push(runIds.length);
        stepSets.push(stored.steps);
      } else steps.add(runIds.length, stored.steps);
      ready ||= unit.readyWork;
    });
    const { rows } = await pool.query<{ ids: string[] }>({
      name: 'sluice_start_runs',
      text: START_RUNS,
      values: [
        JSON.stringify({ at: at.toISOString(), ready, runs }),
        runIds,
        ...steps.values(),
        stepSetRuns,
        joinJsonTexts(stepSets.map((tuples) => JSON.stringify(tuples))),
        ...events.values(),
      ],
    });
    const inserted = new Set(rows[0]?.ids ?? []);
    const outcomes: (StartOutcome | undefined)[] = units.map((unit, i) =>
      inserted.has(unit.run.id) ? { created: true, events: chained.get(i) ?? [] } : undefined,
    );
    await resolveMissing(pool, units, outcomes, chained, sealer);
    return units.map((unit, i) => {
      const first = duplicateOf.get(i);
      const own = outcomes[i];
      if (own) return own;
      const winner = first === undefined ? undefined : outcomes[first];
      if (winner?.created)
        return { created: false, run: newRunRecord(units[first ?? i] ?? unit, winner.events) };
      if (winner && !winner.created) return winner;
      throw new Error(`run ${unit.run.id} was neither inserted nor found`);
    });
  };
}

/** Units not inserted: a run with the same id (an earlier try that did commit) or the same key. */
async function resolveMissing(
  pool: pg.Pool,
  units: NewRun[],
  outcomes: (StartOutcome | undefined)[],
  chained: Map<number, RunEvent[]>,
  sealer: StoreSealer | undefined,
): Promise<void> {
  const missing = units.map((unit, i) => ({ unit, i })).filter(({ i }) => !outcomes[i] && chained.has(i));
  if (missing.length === 0) return;
  for (const { unit, i } of missing) {
    const byId = await pool.query<RunRow>({ name: 'sluice_get_run', text: GET_RUN, values: [unit.run.id] });
    const existing = byId.rows[0];
    if (existing) outcomes[i] = { created: true, events: chained.get(i) ?? [] };
  }
  const keyed = missing.filter(({ i, unit }) => !outcomes[i] && unit.run.runKey !== null);
  if (keyed.length === 0) return;
  const found = await pool.query<RunRow>({
    name: 'sluice_find_runs_by_key',
    text: FIND_RUNS_BY_KEY,
    values: [keyed.map(({ unit }) => unit.run.workspaceId), keyed.map(({ unit }) => unit.run.runKey)],
  });
  for (const { unit, i } of keyed) {
    const row = found.rows.find(
      (r) => r.workspace_id === unit.run.workspaceId && r.run_key === unit.run.runKey,
    );
    if (row) outcomes[i] = { created: false, run: await openRun(sealer, toRunRecord(row)) };
  }
}

function newRunRecord(unit: NewRun, events: RunEvent[]) {
  const { run } = unit;
  return {
    id: run.id,
    workspaceId: run.workspaceId,
    workflowVersionId: run.workflowVersionId,
    status: run.status,
    input: run.input,
    output: run.output,
    error: run.error,
    runKey: run.runKey,
    initiatedById: run.initiatedById,
    parentRunId: run.parentRunId,
    lastSeq: events.at(-1)?.seq ?? 0,
    lastHash: events.at(-1)?.hash ?? genesisHash,
    tokensUsed: unit.tokens ?? 0,
    createdAt: run.startedAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
}
