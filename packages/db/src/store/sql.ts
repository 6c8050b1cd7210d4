// The engine store's SQL. Each hot statement is one round trip: a JSON parameter, parsed once by
// PostgreSQL and unpacked with jsonb_array_elements, with rows as positional arrays (no repeated
// keys), which PostgreSQL unpacks about four times faster than jsonb_to_recordset over objects; and
// the statement's events as column arrays beside it (see below). Statements are prepared by name on
// each connection. Every transaction that changes a run's steps locks the run row first, so
// transitions of one run are serialised and lock order is always run → steps (no deadlocks).
//
// The steps of new runs travel as columns too: START_RUNS takes them as typed arrays (unnest),
// which costs PostgreSQL a third less than extracting nine fields from each of thousands of tuples
// (a batch of 32 chain100 runs holds 3,264 steps). A run that finishes in the commit that starts it
// stores its steps as one row of `step_sets` instead (its step tuples, as `json`): read back as step
// rows by STEPS_OF_RUNS, and moved into `steps` by UNFOLD_STEP_SET when a transition touches the run.
//
// Positional layouts (start-batch.ts and transition.ts build them):
//   run    [0 id, 1 workspace_id, 2 workflow_version_id, 3 status, 4 input, 5 output, 6 error, 7 run_key,
//           8 initiated_by_id, 9 parent_run_id, 10 last_seq, 11 last_hash, 12 started_at, 13 finished_at,
//           14 tokens_used, 15 waits]
//   step   [0 node_id, 1 status, 2 attempt, 3 output, 4 error, 5 ports ('{a,b}'), 6 input, 7 available_at,
//           8 meta (absent: keep the stored meta)]
//   wait   [0 node_id, 1 op (open | update | resolve | cancel), 2 kind, 3 attempt, 4 payload, 5 payload_hash,
//           6 request, 7 expires_at, 8 state, 9 'set' when an update changes expires_at]
//
// Events travel beside that JSON, as columns (`EventColumns` in rows.ts; `eventRows` below): their
// payloads are stored as `json`, and reaching PostgreSQL inside a jsonb parameter would have them
// parsed into jsonb first, the very cost the json column avoids.
//
// Values stored as `json` whole (event payloads, step sets) arrive as one text parameter: their JSON
// texts joined by U+001E, which JSON text never holds raw (`joinJsonTexts` in rows.ts). Split by
// string_to_table, each is checked once by its cast to json, where a json array parameter was
// lexed twice (by json_in, then by json_array_elements): a third of the database's CPU for chain100
// went to lexing JSON.
// Steps the engine settles are stamped with the transaction's time (now()): started when they ran,
// finished when they reached a final status.

const RUN_COLUMNS = `id, workspace_id, workflow_version_id, status, input, output, error, run_key, initiated_by_id,
  parent_run_id, last_seq, last_hash, created_at, started_at, finished_at, tokens_used`;

const INSERT_EVENTS = `INSERT INTO events (workspace_id, run_id, seq, type, payload, actor_id, prev_hash, hash, created_at)`;

/** The JSON texts of a parameter built by `joinJsonTexts` (see above), in order, as `alias(json, n)`. */
function jsonTexts(param: string, alias: string): string {
  return `string_to_table(${param}::text, E'\\x1e') WITH ORDINALITY AS ${alias}(json, n)`;
}

/**
 * The events of a statement, from its parameters $first… (EventColumns.values() in rows.ts): per
 * event the 1-based index of its run in the statement (`ev.run`), seq, type, actor, previous hash
 * and hash, then all payloads (`jsonTexts`) in the same order.
 */
function eventRows(first: number): string {
  const $ = (i: number) => `$${first + i}`;
  return `unnest(${$(0)}::int[], ${$(1)}::int[], ${$(2)}::text[], ${$(3)}::text[], ${$(4)}::text[], ${$(5)}::text[])
         WITH ORDINALITY AS ev(run, seq, type, actor_id, prev_hash, hash, n)
    JOIN ${jsonTexts($(6), 'pl')} USING (n)`;
}

/** The columns of an event row of `eventRows` (workspace and run come from the enclosing row). */
const EVENT_VALUES = `ev.seq, ev.type, pl.json::json, ev.actor_id, ev.prev_hash, ev.hash, (SELECT (p->>'at')::timestamptz FROM p)`;

/** When a step the engine settled started: at `at` if it ran (succeeded or failed), else never. */
function startedAt(status: string, at: string): string {
  return `CASE WHEN ${status} IN ('succeeded', 'failed') THEN ${at} END`;
}

/** When a step the engine settled finished: at `at` if it reached a final status. */
function finishedAt(status: string, at: string): string {
  return `CASE WHEN ${status} IN ('succeeded', 'failed', 'skipped', 'cancelled') THEN ${at} END`;
}

const STARTED = startedAt('x->>1', 'now()');
const FINISHED = finishedAt('x->>1', 'now()');

/**
 * Commits a batch of new runs with their steps and events: $1 the runs (layout above), $2 their ids,
 * $3–$12 their steps as columns (`StepColumns` in start-batch.ts; `run` indexes $2 from 1), and the
 * runs kept as step sets: $13 their indexes in $2, $14 the JSON arrays of their step tuples, in that
 * order (`jsonTexts`: as text[] elements, 10 KB of JSON per chain100 run were escaped by the driver
 * and unescaped by PostgreSQL); $15–$21 their events (`eventRows`). A run whose key is
 * taken inserts nothing (its steps and events are filtered by the runs actually inserted) and is
 * looked up afterwards.
 */
export const START_RUNS = `WITH p AS (SELECT $1::jsonb AS p),
j AS (SELECT r FROM p, jsonb_array_elements(p->'runs') r),
r AS (
  INSERT INTO runs (${RUN_COLUMNS})
  SELECT r->>0, r->>1, r->>2, (r->>3)::run_status, r->4, NULLIF(r->5, 'null'), NULLIF(r->6, 'null'), r->>7, r->>8,
         r->>9, (r->>10)::int, r->>11, (r->>12)::timestamptz, (r->>12)::timestamptz, (r->>13)::timestamptz,
         COALESCE((r->>14)::int, 0)
    FROM j
  ON CONFLICT DO NOTHING
  RETURNING id, workspace_id, last_seq
),
s AS (
  INSERT INTO steps (run_id, node_id, status, attempt, output, error, ports, input, available_at, started_at, finished_at, meta)
  SELECT ($2::text[])[x.run], x.node, x.status, x.attempt, x.output::jsonb, x.error::jsonb,
         COALESCE(x.ports::text[], '{}'), x.input::jsonb, COALESCE(x.available_at, now()),
         ${startedAt('x.status', 'now()')}, ${finishedAt('x.status', 'now()')}, x.meta::jsonb
    FROM unnest($3::int[], $4::text[], $5::step_status[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[],
                $11::timestamptz[], $12::text[])
         AS x(run, node, status, attempt, output, error, ports, input, available_at, meta)
   WHERE ($2::text[])[x.run] IN (SELECT id FROM r)
),
ss AS (
  INSERT INTO step_sets (run_id, steps)
  SELECT ($2::text[])[k.run], c.json::json
    FROM unnest($13::int[]) WITH ORDINALITY AS k(run, n)
    JOIN ${jsonTexts('$14', 'c')} USING (n)
   WHERE ($2::text[])[k.run] IN (SELECT id FROM r)
),
wt AS (
  INSERT INTO waits (run_id, node_id, workspace_id, kind, status, attempt, payload, payload_hash, request, expires_at, created_at)
  SELECT j.r->>0, x->>0, j.r->>1, (x->>2)::wait_kind, 'open', (x->>3)::int, x->4, x->>5, x->6, (x->>7)::timestamptz,
         (SELECT (p->>'at')::timestamptz FROM p)
    FROM j, jsonb_array_elements(COALESCE(j.r->15, '[]')) x
   WHERE j.r->>0 IN (SELECT id FROM r) AND x->>1 = 'open'
),
e AS (
  ${INSERT_EVENTS}
  SELECT r.workspace_id, r.id, ${EVENT_VALUES}
    FROM ${eventRows(15)}
    JOIN r ON r.id = ($2::text[])[ev.run]
),
n AS (SELECT pg_notify('sluice_events', r.id || ':' || r.last_seq) FROM r),
w AS (SELECT pg_notify('sluice_ready', '') FROM p WHERE (p->>'ready')::boolean AND EXISTS (SELECT 1 FROM r))
SELECT array(SELECT id FROM r) AS ids, (SELECT count(*) FROM n) AS notified, (SELECT count(*) FROM w) AS woke`;

export const FIND_RUNS_BY_KEY = `SELECT ${RUN_COLUMNS} FROM runs
  WHERE (workspace_id, run_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`;

export const LOCK_RUN = `SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1 FOR UPDATE`;

export const FENCE = `SELECT 1 FROM steps
  WHERE run_id = $1 AND node_id = $2 AND lease_token = $3 AND status = 'running'`;

export const STEP_STATES = `SELECT node_id, status, attempt, ports FROM steps WHERE run_id = $1`;

export const STEP_OUTPUTS = `SELECT node_id, output, meta->'findings' AS findings FROM steps
  WHERE run_id = $1 AND node_id = ANY($2::text[])`;

const WAIT_COLUMNS = `run_id, node_id, workspace_id, kind, status, attempt, payload, payload_hash, request, state,
  expires_at, created_at, resolved_at, previous_attempt, previous_payload, previous_payload_hash`;

export const GET_WAIT = `SELECT ${WAIT_COLUMNS} FROM waits WHERE run_id = $1 AND node_id = $2`;

export const EXPIRED_WAITS = `SELECT run_id, node_id FROM waits
  WHERE status = 'open' AND expires_at <= now() ORDER BY expires_at LIMIT $1`;

/**
 * Applies one transition of one run (under its lock): step changes (`step` layout), events ($2–$8,
 * `eventRows`), the run row and the notifications. `run` is [0 id, 1 status, 2 output, 3 error,
 * 4 finished_at, 5 last_seq, 6 last_hash, 7 workspace_id].
 */
export const APPLY_TRANSITION = `WITH p AS (SELECT $1::jsonb AS p),
st AS (
  UPDATE steps s
     SET status = (x->>1)::step_status, attempt = (x->>2)::int, output = NULLIF(x->3, 'null'),
         error = NULLIF(x->4, 'null'), ports = COALESCE((x->>5)::text[], '{}'), input = COALESCE(NULLIF(x->6, 'null'), s.input),
         available_at = COALESCE((x->>7)::timestamptz, s.available_at),
         started_at = COALESCE(s.started_at, ${STARTED}),
         finished_at = CASE WHEN x->>1 = 'compensated' THEN s.finished_at ELSE ${FINISHED} END,
         lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
         meta = CASE WHEN jsonb_array_length(x) > 8 THEN NULLIF(x->8, 'null') ELSE s.meta END
    FROM p, jsonb_array_elements(p->'steps') x
   WHERE s.run_id = p->'run'->>0 AND s.node_id = x->>0
),
wo AS (
  INSERT INTO waits (run_id, node_id, workspace_id, kind, status, attempt, payload, payload_hash, request, expires_at, created_at)
  SELECT p->'run'->>0, x->>0, p->'run'->>7, (x->>2)::wait_kind, 'open', (x->>3)::int, x->4, x->>5, x->6,
         (x->>7)::timestamptz, (p->>'at')::timestamptz
    FROM p, jsonb_array_elements(p->'waits') x
   WHERE x->>1 = 'open'
  ON CONFLICT (run_id, node_id) DO UPDATE
     SET kind = EXCLUDED.kind, status = 'open', attempt = EXCLUDED.attempt, payload = EXCLUDED.payload,
         payload_hash = EXCLUDED.payload_hash, request = EXCLUDED.request, state = '{}',
         expires_at = EXCLUDED.expires_at, created_at = EXCLUDED.created_at, resolved_at = NULL,
         -- A new attempt (a rerun reached the step again) keeps the one it replaces, as stored (sealed
         -- when confidential), for the reviewer's diff; reopening the same attempt keeps what was kept.
         previous_attempt = CASE WHEN waits.attempt <> EXCLUDED.attempt THEN waits.attempt ELSE waits.previous_attempt END,
         previous_payload = CASE WHEN waits.attempt <> EXCLUDED.attempt THEN waits.payload ELSE waits.previous_payload END,
         previous_payload_hash = CASE WHEN waits.attempt <> EXCLUDED.attempt THEN waits.payload_hash
                                      ELSE waits.previous_payload_hash END
),
wu AS (
  UPDATE waits w
     SET status = CASE x->>1 WHEN 'resolve' THEN 'resolved' WHEN 'cancel' THEN 'cancelled' ELSE 'open' END::wait_status,
         state = COALESCE(NULLIF(x->8, 'null'), w.state),
         expires_at = CASE WHEN x->>1 = 'update' AND x->>9 = 'set' THEN (x->>7)::timestamptz ELSE w.expires_at END,
         resolved_at = CASE WHEN x->>1 IN ('resolve', 'cancel') THEN (p->>'at')::timestamptz ELSE w.resolved_at END
    FROM p, jsonb_array_elements(p->'waits') x
   WHERE x->>1 <> 'open' AND w.run_id = p->'run'->>0 AND w.node_id = x->>0
),
e AS (
  ${INSERT_EVENTS}
  SELECT p->'run'->>7, p->'run'->>0, ${EVENT_VALUES}
    FROM p, ${eventRows(2)}
),
ru AS (
  UPDATE runs r
     SET status = (p->'run'->>1)::run_status, output = NULLIF(p->'run'->2, 'null'), error = NULLIF(p->'run'->3, 'null'),
         finished_at = (p->'run'->>4)::timestamptz, last_seq = (p->'run'->>5)::int, last_hash = p->'run'->>6,
         tokens_used = r.tokens_used + COALESCE((p->'run'->>8)::int, 0)
    FROM p
   WHERE r.id = p->'run'->>0
),
n AS (SELECT pg_notify('sluice_events', (p->'run'->>0) || ':' || (p->'run'->>5)) FROM p
       WHERE cardinality($3::int[]) > 0),
w AS (SELECT pg_notify('sluice_ready', '') FROM p WHERE (p->>'ready')::boolean),
c AS (SELECT pg_notify('sluice_cancel', p->'run'->>0) FROM p WHERE (p->>'cancelled')::boolean)
SELECT (SELECT count(*) FROM n) + (SELECT count(*) FROM w) + (SELECT count(*) FROM c) AS notified`;

/**
 * Claims up to $2 ready steps: the runs are locked first (skipping runs in another transition), then
 * their due ready steps (skipping any another worker holds), which get a fresh random lease token.
 */
export const CLAIM = `WITH candidates AS (
  SELECT DISTINCT run_id FROM (
    SELECT run_id FROM steps WHERE status = 'ready' AND available_at <= now() ORDER BY available_at LIMIT $2
  ) c
), locked AS (
  SELECT id, workspace_id, workflow_version_id, last_seq, last_hash, tokens_used, initiated_by_id FROM runs
   WHERE id IN (SELECT run_id FROM candidates) ORDER BY id FOR UPDATE SKIP LOCKED
), picked AS (
  SELECT s.run_id, s.node_id FROM steps s
   WHERE s.run_id IN (SELECT id FROM locked) AND s.status = 'ready' AND s.available_at <= now()
   ORDER BY s.available_at LIMIT $2 FOR UPDATE OF s SKIP LOCKED
)
UPDATE steps s
   SET status = 'running', lease_owner = $1, lease_token = gen_random_uuid()::text,
       lease_expires_at = now() + make_interval(secs => $3::float8 / 1000), started_at = now()
  FROM picked, locked
 WHERE s.run_id = picked.run_id AND s.node_id = picked.node_id AND locked.id = s.run_id
RETURNING s.run_id, s.node_id, s.attempt, s.input, s.lease_token, s.lease_expires_at, s.meta->'findings' AS findings,
          locked.workspace_id, locked.workflow_version_id, locked.last_seq, locked.last_hash, locked.tokens_used,
          locked.initiated_by_id`;

/** Returns steps whose lease ran out to ready (same attempt), locking their runs first. */
export const REAP = `WITH candidates AS (
  SELECT DISTINCT run_id FROM (
    SELECT run_id FROM steps WHERE status = 'running' AND lease_expires_at < now() ORDER BY lease_expires_at LIMIT $1
  ) c
), locked AS (
  SELECT id, workspace_id, last_seq, last_hash FROM runs
   WHERE id IN (SELECT run_id FROM candidates) ORDER BY id FOR UPDATE SKIP LOCKED
), expired AS (
  SELECT s.run_id, s.node_id, s.attempt, s.lease_owner FROM steps s
   WHERE s.run_id IN (SELECT id FROM locked) AND s.status = 'running' AND s.lease_expires_at < now()
   FOR UPDATE OF s
), upd AS (
  UPDATE steps s SET status = 'ready', available_at = now(), lease_owner = NULL, lease_token = NULL,
         lease_expires_at = NULL
    FROM expired WHERE s.run_id = expired.run_id AND s.node_id = expired.node_id
)
SELECT expired.run_id, expired.node_id, expired.attempt, expired.lease_owner,
       locked.workspace_id, locked.last_seq, locked.last_hash
  FROM expired JOIN locked ON locked.id = expired.run_id
 ORDER BY expired.run_id`;

/**
 * Appends events to several runs' chains (claims, lease recovery) and moves their heads. `runs` holds
 * [0 run_id, 1 workspace_id, 2 last_seq, 3 last_hash]; the events are $2–$8 (`eventRows`, `run`
 * indexing `runs` from 1).
 */
export const APPEND_EVENTS = `WITH p AS (SELECT $1::jsonb AS p),
j AS (SELECT x.r, x.i FROM p, jsonb_array_elements(p->'runs') WITH ORDINALITY AS x(r, i)),
e AS (
  ${INSERT_EVENTS}
  SELECT j.r->>1, j.r->>0, ${EVENT_VALUES}
    FROM ${eventRows(2)}
    JOIN j ON j.i = ev.run
),
ru AS (
  UPDATE runs x SET last_seq = (j.r->>2)::int, last_hash = j.r->>3 FROM j WHERE x.id = j.r->>0
),
n AS (SELECT pg_notify('sluice_events', (j.r->>0) || ':' || (j.r->>2)) FROM j),
w AS (SELECT pg_notify('sluice_ready', '') FROM p WHERE (p->>'ready')::boolean)
SELECT (SELECT count(*) FROM n) + (SELECT count(*) FROM w) AS notified`;

export const EXTEND_LEASES = `UPDATE steps s SET lease_expires_at = now() + make_interval(secs => $4::float8 / 1000)
  FROM unnest($1::text[], $2::text[], $3::text[]) AS l(run_id, node_id, token)
 WHERE s.run_id = l.run_id AND s.node_id = l.node_id AND s.lease_token = l.token AND s.status = 'running'
RETURNING s.lease_token`;

export const NEXT_AVAILABLE = `SELECT min(available_at) AS at FROM steps WHERE status = 'ready'`;

const VERSION_COLUMNS = `v.id, v.workflow_id, w.workspace_id, v.version, v.spec, v.hash`;

export const LOAD_VERSION = `SELECT ${VERSION_COLUMNS} FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id
  WHERE v.id = $1`;

export const LATEST_VERSION = `SELECT ${VERSION_COLUMNS} FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id
  WHERE v.workflow_id = $1 ORDER BY v.version DESC LIMIT 1`;

export const FIND_VERSION = `SELECT ${VERSION_COLUMNS} FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id
  WHERE v.workflow_id = $1 AND v.version = $2`;

export const GET_RUN = `SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1`;

export const FIND_RUN_BY_KEY = `SELECT ${RUN_COLUMNS} FROM runs WHERE workspace_id = $1 AND run_key = $2`;

/** A step tuple `x` of the step set `c` as the columns of a `steps` row (STEP_ROW_COLUMNS, in order). */
const STEP_SET_ROW = `c.run_id, x->>0, (x->>1)::step_status, (x->>2)::int, NULLIF((x->6)::jsonb, 'null'),
  NULLIF((x->3)::jsonb, 'null'), NULLIF((x->4)::jsonb, 'null'), COALESCE((x->>5)::text[], '{}'),
  NULLIF((x->8)::jsonb, 'null'), NULL::text, NULL::text, NULL::timestamptz,
  COALESCE((x->>7)::timestamptz, c.created_at), c.created_at,
  ${startedAt('x->>1', 'c.created_at')}, ${finishedAt('x->>1', 'c.created_at')}`;

const STEP_ROW_COLUMNS = `run_id, node_id, status, attempt, input, output, error, ports, meta, lease_owner,
  lease_token, lease_expires_at, available_at, created_at, started_at, finished_at`;

/**
 * Every step of the runs $1 (text[]), wherever it is kept: its row in `steps`, or its tuple in the
 * run's step set. One statement, so one snapshot: a concurrent unfold is seen before or after.
 */
export const STEPS_OF_RUNS = `SELECT ${STEP_ROW_COLUMNS} FROM steps WHERE run_id = ANY($1::text[])
  UNION ALL
  SELECT ${STEP_SET_ROW} FROM step_sets c, json_array_elements(c.steps) x WHERE c.run_id = ANY($1::text[])`;

/**
 * Moves a run's step set into `steps` (run under the run's lock, before the transition reads its
 * steps): from then on the run's steps change row by row like any other run's.
 */
export const UNFOLD_STEP_SET = `WITH c AS (DELETE FROM step_sets WHERE run_id = $1 RETURNING run_id, steps, created_at)
  INSERT INTO steps (${STEP_ROW_COLUMNS})
  SELECT ${STEP_SET_ROW} FROM c, json_array_elements(c.steps) x`;

export const GET_STEPS = `SELECT * FROM (${STEPS_OF_RUNS}) s ORDER BY s.node_id`;

/** The events after each run's sequence number ($1 run ids, $2 sequence numbers), $3 at most per run. */
export const READ_EVENTS_OF_RUNS = `SELECT e.run_id, e.workspace_id, e.seq, e.type, e.payload, e.actor_id, e.prev_hash, e.hash,
       e.created_at
  FROM unnest($1::text[], $2::int[]) AS w(run_id, after_seq),
       LATERAL (SELECT * FROM events WHERE run_id = w.run_id AND seq > w.after_seq ORDER BY seq LIMIT $3) e
 ORDER BY e.run_id, e.seq`;

export const READ_EVENTS = `SELECT run_id, workspace_id, seq, type, payload, actor_id, prev_hash, hash, created_at
  FROM events WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`;
