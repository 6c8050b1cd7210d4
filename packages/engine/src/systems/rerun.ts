// Rerunning a finished run from a step: that step, everything downstream of it, and whatever the
// run's failure left unsettled (failed and cancelled steps and their descendants) go back to pending
// and run again with new attempts (so new idempotency keys), while every other step keeps its
// output. A gate among them waits afresh: its wait is reopened for the new attempt with empty
// decisions, so approvals given on earlier data no longer count. One transaction, one event.
import { EngineError } from '../errors.js';
import type { ExecutionPlan, PlanNode } from '../plan.js';
import type { EngineResources } from '../resources.js';
import { type RunRecord, TERMINAL_RUN_STATUSES, type StepState, type StepWrite } from '../store.js';
import { type LiveStep, Transition } from './advance.js';

export interface RerunOptions {
  actorId?: string | null;
  reason?: string | null;
}

/** The nodes a rerun from `nodeId` resets, in plan order. */
export function rerunSet(plan: ExecutionPlan, nodeId: string, steps: readonly StepState[]): PlanNode[] {
  const status = new Map(steps.map((s) => [s.nodeId, s.status]));
  const reset = new Set<string>();
  const visit = (id: string) => {
    if (reset.has(id)) return;
    reset.add(id);
    for (const edge of plan.nodes.get(id)?.outgoing ?? []) visit(edge.to);
  };
  visit(nodeId);
  for (const node of plan.order) {
    const s = status.get(node.id);
    if (s === 'failed' || s === 'cancelled') visit(node.id);
  }
  return plan.order.filter((node) => reset.has(node.id));
}

export async function rerunFrom(
  res: EngineResources,
  runId: string,
  nodeId: string,
  options: RerunOptions = {},
): Promise<RunRecord> {
  let refusal: EngineError | undefined;
  await res.plans.warmForRun(runId);
  const result = await res.store.transition(runId, {}, async (tx) => {
    if (!TERMINAL_RUN_STATUSES.has(tx.run.status)) {
      refusal = new EngineError(
        'RUN_ACTIVE',
        `run ${runId} is ${tx.run.status}: rerun it once it has finished`,
      );
      return null;
    }
    const plan = await res.plans.get(tx.run.workflowVersionId);
    const node = plan.nodes.get(nodeId);
    if (!node) {
      refusal = new EngineError('STEP_NOT_FOUND', `run ${runId} has no step "${nodeId}"`);
      return null;
    }
    if (node === plan.trigger) {
      refusal = new EngineError('INPUT_INVALID', 'the trigger cannot be rerun: start a new run instead');
      return null;
    }
    const states = await tx.steps();
    const resetNodes = rerunSet(plan, nodeId, states);
    const steps = new Map<string, LiveStep>();
    for (const s of states) steps.set(s.nodeId, { ...s, loaded: false });
    const waiting = new Set(states.filter((s) => s.status === 'waiting').map((s) => s.nodeId));
    const writes: StepWrite[] = [];
    for (const reset of resetNodes) {
      const step = steps.get(reset.id);
      if (!step) continue;
      step.status = 'pending';
      step.ports = [];
      step.output = undefined;
      step.findings = undefined;
      step.loaded = false;
      writes.push({
        nodeId: reset.id,
        status: 'pending',
        attempt: step.attempt,
        output: null,
        error: null,
        ports: [],
        meta: null,
      });
    }
    const now = new Date();
    const t = new Transition({
      plan,
      runId,
      workspaceId: tx.run.workspaceId,
      initiatedById: tx.run.initiatedById,
      runTokens: tx.run.tokensUsed,
      runInput: tx.run.input,
      steps,
      loadOutputs: tx.outputs,
      now,
    });
    t.events.push({
      type: 'run.rerun',
      payload: { fromNodeId: nodeId, reason: options.reason ?? null, reset: resetNodes.map((n) => n.id) },
      actorId: options.actorId ?? null,
    });
    for (const write of writes) t.writes.set(write.nodeId, write);
    const resetIds = new Set(resetNodes.map((n) => n.id));
    const frontier = new Set<string>();
    for (const reset of resetNodes) {
      for (const edge of reset.incoming) if (!resetIds.has(edge.from)) frontier.add(edge.from);
    }
    await t.settleFrom([...frontier]);
    await t.finish();
    return {
      steps: [...t.writes.values()],
      events: t.events,
      run: t.run ?? { status: 'running', output: null, error: null, finishedAt: null },
      waits: [
        ...resetNodes.filter((n) => waiting.has(n.id)).map((n) => ({ op: 'cancel' as const, nodeId: n.id })),
        ...t.waits,
      ],
      tokens: t.tokens,
      readyWork: t.readyWork,
    };
  });
  if (refusal) throw refusal;
  if (result.status === 'missing') throw new EngineError('RUN_NOT_FOUND', `no run ${runId}`);
  if (result.status !== 'committed') throw new Error(`rerun of run ${runId}: ${result.status}`);
  res.bus.publish(runId, result.events, result.run);
  if (result.events.some((e) => e.type === 'step.ready')) res.wakeWorkers();
  return result.run;
}
