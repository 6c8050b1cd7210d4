// The `subflow` kind: another published workflow version, run as one step. The child run's key is
// derived from the step's idempotency key, so a step executed again after a crash finds the same child
// run instead of starting a second one; cancelling the parent (or timing out) cancels the child.
import type { SubflowConfig } from '@sluice/nodes';
import { type Executor, StepError } from '@sluice/nodes/server';
import type { EngineResources } from '../resources.js';
import { cancelRun } from './cancellation.js';
import { startRun } from './starter.js';

export function subflowExecutor(res: EngineResources): Executor<SubflowConfig> {
  return {
    kind: 'subflow',
    pure: false,
    async execute(ctx) {
      const { workflowId, version } = ctx.config;
      const pinned = await res.store.findVersion(workflowId, version);
      if (!pinned)
        throw new StepError(
          'SUBFLOW_NOT_FOUND',
          `workflow ${workflowId} has no published version ${version}`,
        );
      const parent = await res.store.getRun(ctx.runId);
      if (!parent || parent.workspaceId !== pinned.workspaceId) {
        throw new StepError('SUBFLOW_NOT_FOUND', `workflow ${workflowId} is not in this run's workspace`);
      }
      const child = await startRun(res, {
        workflowVersionId: pinned.id,
        input: ctx.input,
        runKey: `subflow:${ctx.idempotencyKey}`,
        parentRunId: ctx.runId,
        initiatedById: parent.initiatedById,
      });
      ctx.log('info', `child run ${child.runId}${child.created ? '' : ' (already started)'}`);
      const onAbort = () =>
        void cancelRun(res, child.runId, { reason: 'the parent step was aborted' }).catch(() => undefined);
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      try {
        const done =
          child.status === 'succeeded' || child.status === 'failed' || child.status === 'cancelled'
            ? child
            : await res.bus.waitFor(child.runId, 2_147_000_000, ctx.signal);
        if (done.status === 'succeeded') return { output: done.output };
        throw new StepError(
          done.status === 'cancelled' ? 'SUBFLOW_CANCELLED' : 'SUBFLOW_FAILED',
          `child run ${child.runId} ${done.status}`,
        );
      } finally {
        ctx.signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
