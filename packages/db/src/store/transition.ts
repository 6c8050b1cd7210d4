// One transition of one run in one transaction: lock the run row (serialising every transition of
// that run), check the fence, let the engine decide, then write steps, events, the run and the
// notifications in a single statement and commit. Other processes hear of it only after the commit.
import type {
  Lease,
  RunRecord,
  RunTransaction,
  StepState,
  TransitionResult,
  TransitionWrite,
} from '@sluice/engine';
import type { Finding } from '@sluice/spec';
import type pg from 'pg';
import { checkout } from './checkout';
import {
  chainEvents,
  EventColumns,
  type RunRow,
  stepStatus,
  toRunRecord,
  toWaitRecord,
  type WaitRow,
} from './rows';
import { openIf, openRun, openWait, sealIf, type StoreSealer } from './sealing';
import { sealedStepTuples, sealedWaitTuples } from './start-batch';
import {
  APPLY_TRANSITION,
  FENCE,
  GET_WAIT,
  LOCK_RUN,
  STEP_OUTPUTS,
  STEP_STATES,
  UNFOLD_STEP_SET,
} from './sql';

function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

type StepStateRow = { node_id: string; status: string; attempt: number; ports: string[] | null };

/** Settles every promise (so none is left rejected and unhandled), then rethrows the first failure. */
async function all<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * The store's connections pipeline (see pg-store.ts): statements that do not depend on each other's
 * answers are sent together and cost one round trip. A transition is three: BEGIN, the run's lock,
 * the unfolding of a step set (a run that finished at its start and is touched again: sql.ts), the
 * fence and the step states (which every transition reads); then the engine's decision (and any
 * outputs it loads); then the write and COMMIT.
 */
export async function runTransition(
  pool: pg.Pool,
  runId: string,
  options: { fence?: Lease },
  body: (tx: RunTransaction) => Promise<TransitionWrite | null>,
  sealer?: StoreSealer,
): Promise<TransitionResult> {
  const { client, release } = await checkout(pool);
  let open = false;
  let broken: Error | undefined;
  try {
    open = true;
    const [, locked, , fence, states] = await all([
      client.query('BEGIN'),
      client.query<RunRow>({ name: 'sluice_lock_run', text: LOCK_RUN, values: [runId] }),
      client.query({ name: 'sluice_unfold_step_set', text: UNFOLD_STEP_SET, values: [runId] }),
      options.fence
        ? client.query({
            name: 'sluice_fence',
            text: FENCE,
            values: [runId, options.fence.nodeId, options.fence.leaseToken],
          })
        : Promise.resolve(null),
      client.query<StepStateRow>({ name: 'sluice_step_states', text: STEP_STATES, values: [runId] }),
    ]);
    const row = locked.rows[0];
    if (!row) {
      await client.query('ROLLBACK');
      open = false;
      return { status: 'missing' };
    }
    const run = await openRun(sealer, toRunRecord(row));
    if (fence && fence.rowCount === 0) {
      await client.query('ROLLBACK');
      open = false;
      return { status: 'fenced' };
    }
    const write = await body(transactionView(client, run, states.rows, sealer));
    if (!write) {
      await client.query('ROLLBACK');
      open = false;
      return { status: 'unchanged', run };
    }
    const after = await apply(client, run, row.output, write, sealer);
    open = false;
    return after;
  } catch (error) {
    if (open) {
      await client.query('ROLLBACK').catch((rollback: unknown) => {
        broken = rollback instanceof Error ? rollback : new Error(String(rollback));
      });
    }
    throw error;
  } finally {
    release(broken);
  }
}

/** What the engine reads in a transition; the step states were read with the lock (nothing has written since). */
function transactionView(
  client: pg.PoolClient,
  run: RunRecord,
  stepStates: readonly StepStateRow[],
  sealer?: StoreSealer,
): RunTransaction {
  return {
    run,
    async steps(): Promise<StepState[]> {
      return stepStates.map((r) => ({
        nodeId: r.node_id,
        status: stepStatus(r.status),
        attempt: r.attempt,
        ports: r.ports ?? [],
      }));
    },
    async outputs(nodeIds) {
      const { rows } = await client.query<{ node_id: string; output: unknown; findings: Finding[] | null }>({
        name: 'sluice_step_outputs',
        text: STEP_OUTPUTS,
        values: [run.id, nodeIds],
      });
      const opened = await Promise.all(
        rows.map(
          async (r) =>
            [
              r.node_id,
              { output: await openIf(sealer, run.workspaceId, r.output), findings: r.findings ?? [] },
            ] as const,
        ),
      );
      return new Map(opened);
    },
    async wait(nodeId) {
      const { rows } = await client.query<WaitRow>({
        name: 'sluice_get_wait',
        text: GET_WAIT,
        values: [run.id, nodeId],
      });
      return rows[0] ? openWait(sealer, toWaitRecord(rows[0])) : null;
    },
  };
}

async function apply(
  client: pg.PoolClient,
  run: RunRecord,
  storedOutput: unknown,
  write: TransitionWrite,
  sealer: StoreSealer | undefined,
): Promise<TransitionResult> {
  const at = new Date();
  const chain = chainEvents({ ...run, runId: run.id }, write.events, at);
  const next = write.run ?? {
    status: run.status,
    output: run.output,
    error: run.error,
    finishedAt: run.finishedAt,
  };
  // Layouts: see sql.ts (`run` and `change`).
  const payload = {
    at: at.toISOString(),
    ready: write.readyWork === true,
    cancelled: write.cancelled === true,
    run: [
      run.id,
      next.status,
      write.run
        ? ((await sealIf(sealer, run.workspaceId, write.run.sealOutput, write.run.output)) ?? null)
        : (storedOutput ?? null),
      next.error ?? null,
      iso(next.finishedAt),
      chain.lastSeq,
      chain.lastHash,
      run.workspaceId,
      write.tokens ?? 0,
    ],
    steps: await sealedStepTuples(sealer, run.workspaceId, write.steps),
    waits: await sealedWaitTuples(sealer, run.workspaceId, write.waits ?? []),
  };
  const events = new EventColumns();
  events.add(1, chain.rows);
  // The write and COMMIT in one round trip. Should the write fail, the COMMIT that follows it ends
  // the failed transaction (PostgreSQL answers it with ROLLBACK) and the write's error is thrown.
  await all([
    client.query({
      name: 'sluice_apply_transition',
      text: APPLY_TRANSITION,
      values: [JSON.stringify(payload), ...events.values()],
    }),
    client.query('COMMIT'),
  ]);
  return {
    status: 'committed',
    events: chain.events,
    run: {
      ...run,
      ...next,
      lastSeq: chain.lastSeq,
      lastHash: chain.lastHash,
      tokensUsed: run.tokensUsed + (write.tokens ?? 0),
    },
  };
}
