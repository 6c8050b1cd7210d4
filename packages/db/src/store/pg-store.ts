// The engine's Store on PostgreSQL, through node-postgres directly (not Prisma): the hot path is a
// handful of prepared statements that each take one JSON parameter.
import type {
  ClaimedStep,
  ClaimOptions,
  Lease,
  NewRun,
  RunEvent,
  RunEventDraft,
  RunRecord,
  RunTransaction,
  StartOutcome,
  StepRecord,
  Store,
  StoreNotifications,
  TransitionResult,
  TransitionWrite,
  VersionRecord,
} from '@sluice/engine';
import pg from 'pg';
import { DurabilityError } from '../database';
import { type DbLogger, silentLogger } from '../logger';
import { claimSteps, extendLeases, nextAvailableAt, reapExpiredLeases } from './claims';
import { type GroupCommitOptions, GroupCommitter } from './group-commit';
import { listen } from './listener';
import {
  type EventRow,
  type RunRow,
  toRunEvent,
  toRunRecord,
  toStepRecord,
  toVersionRecord,
  toWaitRecord,
  type WaitRow,
} from './rows';
import {
  EXPIRED_WAITS,
  FIND_RUN_BY_KEY,
  FIND_VERSION,
  GET_RUN,
  GET_STEPS,
  GET_WAIT,
  LATEST_VERSION,
  LOAD_VERSION,
  READ_EVENTS,
  READ_EVENTS_OF_RUNS,
} from './sql';
import { openIf, openRun, openWait, type StoreSealer } from './sealing';
import { settledAtStart, startRunsFlush } from './start-batch';
import { runTransition } from './transition';

export interface PgStoreOptions {
  url: string;
  /** Connections for transitions, claims and reads (the group commit uses one at a time). Default 10. */
  poolSize?: number;
  groupCommit?: GroupCommitOptions;
  log?: DbLogger;
  /**
   * Encrypts confidential and restricted step data at rest (the vault's `createDataSealer`). Without
   * one, a run that handles such data fails to commit rather than storing it in clear.
   */
  sealer?: StoreSealer;
}

/** The Store, plus its pool for the audit verifier and tests. */
export interface PgStore extends Store {
  readonly pool: pg.Pool;
  /** Group commit of run starts: batches committed and the runs they held. */
  startStats(): { batches: number; units: number };
}

/**
 * How starts are batched. A batch is one statement, run by one database backend on one core: 32
 * chain100 runs in one batch (3,264 step rows) kept the database on one core while the engine waited,
 * then the engine on one core while the database waited. Batches of about 500 rows overlap the two
 * (group-commit.test.ts pins the cut); small runs still share a batch by the dozen. Two in flight:
 * four helped a closed loop of 32 callers in process, but cost chain10 over HTTP a tenth.
 */
const START_BATCHES: GroupCommitOptions = { maxWeight: 512, maxInFlight: 2 };

/** The rows a start writes. */
/**
 * A start's share of a batch (see START_BATCHES). The steps of a run kept as a step set are one row
 * of JSON, and weigh a third: so weighed, chain100 batches hold about three times as many runs, and
 * the database's CPU per run fell by a sixth (0.67 -> 0.56 and 0.75 -> 0.62 ms, alternated pairs
 * over HTTP) with throughput the same or better.
 */
function startWeight(run: NewRun): number {
  const steps = settledAtStart(run) ? Math.ceil(run.steps.length / 3) : run.steps.length;
  return 1 + steps + run.events.length + (run.waits?.length ?? 0);
}

/** A stored run event; a type this build does not know is an error naming the event. */
function knownEvent(row: EventRow): RunEvent {
  const event = toRunEvent(row);
  if (!event) {
    throw new Error(
      `event ${row.seq} of run ${row.run_id} (${row.type}) is not a run event this build knows`,
    );
  }
  return event;
}

/**
 * Opens the engine's store. Refuses a database that can lose acknowledged commits
 * (`synchronous_commit` or `fsync` off), checked on the store's own connection: run state is only
 * ever reported after it is durable.
 *
 * @example
 * const store = await openPgStore({ url: db.url });
 * const engine = createEngine({ store, executors: serverExecutors });
 */
export async function openPgStore(options: PgStoreOptions): Promise<PgStore> {
  const log = options.log ?? silentLogger;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    application_name: 'sluice-engine',
    // Statements sent without waiting for the one before are pipelined (transition.ts, claims.ts):
    // a transaction of five statements costs three round trips instead of seven.
    pipeline: true,
  });
  pool.on('error', (error) => log.warn(`idle database connection failed: ${error.message}`));
  try {
    await assertDurable(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const sealer = options.sealer;
  const starts = new GroupCommitter<NewRun, StartOutcome>(
    startRunsFlush(pool, sealer),
    { ...START_BATCHES, ...options.groupCommit },
    startWeight,
  );
  let closed = false;
  const getRun = async (runId: string): Promise<RunRecord | null> => {
    const { rows } = await pool.query<RunRow>({ name: 'sluice_get_run', text: GET_RUN, values: [runId] });
    return rows[0] ? openRun(sealer, toRunRecord(rows[0])) : null;
  };

  return {
    pool,
    startStats: () => starts.stats(),
    async loadVersion(versionId: string): Promise<VersionRecord | null> {
      const { rows } = await pool.query({
        name: 'sluice_load_version',
        text: LOAD_VERSION,
        values: [versionId],
      });
      return rows[0] ? toVersionRecord(rows[0]) : null;
    },
    async latestVersion(workflowId: string): Promise<VersionRecord | null> {
      const { rows } = await pool.query({
        name: 'sluice_latest_version',
        text: LATEST_VERSION,
        values: [workflowId],
      });
      return rows[0] ? toVersionRecord(rows[0]) : null;
    },
    async findVersion(workflowId: string, version: number): Promise<VersionRecord | null> {
      const { rows } = await pool.query({
        name: 'sluice_find_version',
        text: FIND_VERSION,
        values: [workflowId, version],
      });
      return rows[0] ? toVersionRecord(rows[0]) : null;
    },
    startRun: (run: NewRun) =>
      closed ? Promise.reject(new Error('the store is closed')) : starts.submit(run),
    transition: (
      runId: string,
      transitionOptions: { fence?: Lease },
      body: (tx: RunTransaction) => Promise<TransitionWrite | null>,
    ): Promise<TransitionResult> => runTransition(pool, runId, transitionOptions, body, sealer),
    claim: (claim: ClaimOptions, started: (step: ClaimedStep) => RunEventDraft) =>
      claimSteps(pool, claim, started, sealer),
    extendLeases: (leases: readonly Lease[], leaseMs: number) => extendLeases(pool, leases, leaseMs),
    reapExpiredLeases: (limit, expired) => reapExpiredLeases(pool, limit, expired),
    nextAvailableAt: () => nextAvailableAt(pool),
    async expiredWaits(limit: number) {
      const { rows } = await pool.query<{ run_id: string; node_id: string }>({
        name: 'sluice_expired_waits',
        text: EXPIRED_WAITS,
        values: [limit],
      });
      return rows.map((r) => ({ runId: r.run_id, nodeId: r.node_id }));
    },
    async getWait(runId: string, nodeId: string) {
      const { rows } = await pool.query<WaitRow>({
        name: 'sluice_get_wait',
        text: GET_WAIT,
        values: [runId, nodeId],
      });
      return rows[0] ? openWait(sealer, toWaitRecord(rows[0])) : null;
    },
    getRun,
    async findRunByKey(workspaceId: string, runKey: string): Promise<RunRecord | null> {
      const { rows } = await pool.query<RunRow>({
        name: 'sluice_find_run_by_key',
        text: FIND_RUN_BY_KEY,
        values: [workspaceId, runKey],
      });
      return rows[0] ? openRun(sealer, toRunRecord(rows[0])) : null;
    },
    async getSteps(runId: string): Promise<StepRecord[]> {
      const { rows } = await pool.query({ name: 'sluice_get_steps', text: GET_STEPS, values: [[runId]] });
      const run = rows.length > 0 ? await getRun(runId) : null;
      const workspaceId = run?.workspaceId ?? '';
      return Promise.all(
        rows.map(async (row) => {
          const step = toStepRecord(row);
          return {
            ...step,
            input: await openIf(sealer, workspaceId, step.input),
            output: await openIf(sealer, workspaceId, step.output),
            meta: step.meta?.details
              ? {
                  ...step.meta,
                  details: (await openIf(sealer, workspaceId, step.meta.details)) as Record<string, unknown>,
                }
              : step.meta,
          };
        }),
      );
    },
    async readEvents(runId: string, afterSeq: number, limit = 1000): Promise<RunEvent[]> {
      const { rows } = await pool.query<EventRow>({
        name: 'sluice_read_events',
        text: READ_EVENTS,
        values: [runId, afterSeq, limit],
      });
      return rows.map(knownEvent);
    },
    async readEventsOfRuns(afterSeqs: ReadonlyMap<string, number>, limit: number) {
      const { rows } = await pool.query<EventRow>({
        name: 'sluice_read_events_of_runs',
        text: READ_EVENTS_OF_RUNS,
        values: [[...afterSeqs.keys()], [...afterSeqs.values()], limit],
      });
      const byRun = new Map<string, RunEvent[]>();
      for (const row of rows) {
        const events = byRun.get(row.run_id);
        if (events) events.push(knownEvent(row));
        else byRun.set(row.run_id, [knownEvent(row)]);
      }
      return byRun;
    },
    async broadcastLive(message: string) {
      await pool.query({
        name: 'sluice_live',
        text: `SELECT pg_notify('sluice_live', $1)`,
        values: [message],
      });
    },
    listen: (handlers: StoreNotifications) => listen(options.url, handlers, (message) => log.warn(message)),
    /** Refuses new starts, lets queued ones commit, then closes the connections. */
    async close() {
      if (closed) return;
      closed = true;
      await starts.drain();
      await pool.end();
    },
  };
}

async function assertDurable(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ synchronous_commit: string; fsync: string }>(
    `SELECT current_setting('synchronous_commit') AS synchronous_commit, current_setting('fsync') AS fsync`,
  );
  const settings = rows[0];
  if (!settings) throw new Error('cannot read the durability settings of the database');
  if (settings.synchronous_commit === 'off') throw new DurabilityError('synchronous_commit', 'off');
  if (settings.fsync === 'off') throw new DurabilityError('fsync', 'off');
}
