// Cancelling a run: the run and every step that has not settled are cancelled in one transaction;
// executors running its steps here see their AbortSignal fire, and other processes learn it from the
// store's cancel notification. A step completing afterwards is fenced out (it is no longer running).
import { EngineError } from '../errors.js';
import type { EngineResources } from '../resources.js';
import { type RunRecord, TERMINAL_RUN_STATUSES } from '../store.js';
import { type LiveStep, Transition } from './advance.js';
import { StepAborted } from './execution.js';

export interface CancelOptions {
  reason?: string | null;
  /** Who cancelled: recorded on the `run.cancelled` event. */
  actorId?: string | null;
}

/** Cancels a run; a finished run is returned unchanged. */
export async function cancelRun(
  res: EngineResources,
  runId: string,
  options: CancelOptions = {},
): Promise<RunRecord> {
  await res.plans.warmForRun(runId);
  const result = await res.store.transition(runId, {}, async (tx) => {
    if (TERMINAL_RUN_STATUSES.has(tx.run.status)) return null;
    const plan = await res.plans.get(tx.run.workflowVersionId);
    const steps = new Map<string, LiveStep>();
    for (const s of await tx.steps()) steps.set(s.nodeId, { ...s, loaded: false });
    const now = new Date();
    const t = new Transition({
      plan,
      runId,
      workspaceId: tx.run.workspaceId,
      initiatedById: tx.run.initiatedById,
      runInput: tx.run.input,
      steps,
      loadOutputs: tx.outputs,
      now,
    });
    t.cancelUnsettled();
    t.events.push({
      type: 'run.cancelled',
      payload: { reason: options.reason ?? null },
      actorId: options.actorId ?? null,
    });
    return {
      steps: [...t.writes.values()],
      events: t.events,
      waits: t.waits,
      run: { status: 'cancelled', output: null, error: null, finishedAt: now },
      cancelled: true,
    };
  });
  if (result.status === 'missing') throw new EngineError('RUN_NOT_FOUND', `no run ${runId}`);
  if (result.status === 'fenced') throw new Error('unreachable: a cancel takes no fence');
  if (result.status === 'committed') res.bus.publish(runId, result.events, result.run);
  abortLocal(res, runId);
  return result.run;
}

/** Aborts the executors of a run's steps running in this process. */
export function abortLocal(res: EngineResources, runId: string): void {
  for (const r of res.running.values()) {
    if (r.step.runId === runId) r.controller.abort(new StepAborted('cancelled'));
  }
}
