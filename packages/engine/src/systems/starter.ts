// Starting a run: pin the version, check the input, run every pure step that follows from the
// trigger in memory, and commit the run, its steps and its events at once (a run of pure steps is
// one commit; concurrent starts share commits in the store).
import { EngineError } from '../errors.js';
import { contentHash, storableJson, uuidv7 } from '../ids.js';
import type { EngineResources } from '../resources.js';
import type { RunRecord, RunStatus, StepInsert } from '../store.js';
import { type LiveStep, Transition } from './advance.js';

export interface StartRunRequest {
  workflowVersionId: string;
  input: unknown;
  /** The caller's idempotency key: starting twice with one key gives one run. */
  runKey?: string | null;
  initiatedById?: string | null;
  parentRunId?: string | null;
}

export interface StartedRun {
  runId: string;
  /** False when the run key had already started a run: this is that run. */
  created: boolean;
  status: RunStatus;
  /** Set once the run has succeeded (a run of pure steps finishes before this returns). */
  output: unknown;
  error: unknown;
}

export async function startRun(res: EngineResources, request: StartRunRequest): Promise<StartedRun> {
  const plan = await res.plans.get(request.workflowVersionId);
  const workspaceId = plan.version.workspaceId;
  const runKey = request.runKey ?? null;
  if (runKey !== null && (runKey.length === 0 || runKey.length > 200)) {
    throw new EngineError('INPUT_INVALID', 'a run key has 1 to 200 characters');
  }
  const checked = plan.validateInput(request.input);
  if (!checked.ok) {
    throw new EngineError('INPUT_INVALID', `the input does not match the trigger's schema`, {
      issues: checked.issues,
    });
  }
  let input: unknown;
  try {
    input = JSON.parse(storableJson(request.input));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EngineError('INPUT_INVALID', `the input is not JSON: ${reason}`);
  }
  if (runKey === null) return start(res, request, input, null);
  const key = `${workspaceId}:${runKey}`;
  const inFlight = res.starting.get(key);
  if (inFlight) {
    return { ...(await inFlight), created: false };
  }
  const starting = start(res, request, input, runKey);
  res.starting.set(key, starting);
  try {
    return await starting;
  } finally {
    res.starting.delete(key);
  }
}

async function start(
  res: EngineResources,
  request: StartRunRequest,
  input: unknown,
  runKey: string | null,
): Promise<StartedRun> {
  const plan = await res.plans.get(request.workflowVersionId);
  const now = new Date();
  const runId = uuidv7(now.getTime());
  const steps = new Map<string, LiveStep>();
  for (const node of plan.order) {
    steps.set(node.id, {
      status: 'pending',
      attempt: 0,
      ports: [],
      loaded: false,
    });
  }
  const t = new Transition({
    plan,
    runId,
    workspaceId: plan.version.workspaceId,
    initiatedById: request.initiatedById ?? null,
    runInput: input,
    steps,
    now,
  });
  t.events.push({
    type: 'run.started',
    payload: {
      workflowId: plan.version.workflowId,
      workflowVersionId: plan.version.id,
      version: plan.version.version,
      inputHash: contentHash(input),
      runKey,
      parentRunId: request.parentRunId ?? null,
    },
    actorId: request.initiatedById ?? null,
  });
  await t.start();
  await t.finish();
  const run = t.run ?? { status: 'running' as const, output: null, error: null, finishedAt: null };
  const inserts: StepInsert[] = plan.order.map(
    (node) =>
      t.writes.get(node.id) ?? {
        nodeId: node.id,
        status: 'pending',
        attempt: 0,
        output: null,
        error: null,
        ports: [],
      },
  );
  const outcome = await res.store.startRun({
    run: {
      id: runId,
      workspaceId: plan.version.workspaceId,
      workflowVersionId: plan.version.id,
      runKey,
      initiatedById: request.initiatedById ?? null,
      parentRunId: request.parentRunId ?? null,
      input,
      startedAt: now,
      sealInput: plan.sealInput,
      ...run,
    },
    steps: inserts,
    events: t.events,
    waits: t.waits,
    tokens: t.tokens,
    readyWork: t.readyWork,
  });
  if (!outcome.created) return fromRecord(outcome.run, false);
  const record: RunRecord = {
    id: runId,
    workspaceId: plan.version.workspaceId,
    workflowVersionId: plan.version.id,
    status: run.status,
    input,
    output: run.output,
    error: run.error,
    runKey,
    initiatedById: request.initiatedById ?? null,
    parentRunId: request.parentRunId ?? null,
    lastSeq: outcome.events.at(-1)?.seq ?? 0,
    lastHash: outcome.events.at(-1)?.hash ?? '',
    tokensUsed: t.tokens,
    createdAt: now,
    startedAt: now,
    finishedAt: run.finishedAt,
  };
  res.bus.publish(runId, outcome.events, record);
  if (t.readyWork) res.wakeWorkers();
  return fromRecord(record, true);
}

function fromRecord(run: RunRecord, created: boolean): StartedRun {
  return { runId: run.id, created, status: run.status, output: run.output, error: run.error };
}
