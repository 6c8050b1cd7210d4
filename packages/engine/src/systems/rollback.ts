// Rolling back: undoing the side effect of a succeeded step through its executor's `compensate`
// (for `http`, the node's compensation request). Each compensation is recorded as it starts
// (`step.compensating`) and as it ends: the step becomes `compensated` (`step.compensated`), or
// stays succeeded with `step.compensation_failed`. The call carries its own idempotency key
// (`<step key>:compensate`), so a compensation repeated after a crash is recognisable downstream.
// A whole run is rolled back in reverse topological order; steps without a compensation are listed
// as not reversible (and left as they are).
import type { ErrorInfo } from '@sluice/spec';
import type { ExecutorContext } from '@sluice/nodes/server';
import { EngineError } from '../errors.js';
import { asJson, contentHash, idempotencyKey } from '../ids.js';
import type { ExecutionPlan, PlanNode } from '../plan.js';
import type { EngineResources } from '../resources.js';
import type { RunRecord, StepRecord } from '../store.js';
import { errorInfo } from './step-outcome.js';
import { revealCredential } from './execution.js';

export interface RollbackOptions {
  actorId?: string | null;
  /** Per compensation; default the node's timeout or 5 minutes. */
  timeoutMs?: number;
}

/** One step of a rollback plan: what would be undone, and what cannot be. */
export interface RollbackEntry {
  nodeId: string;
  kind: string;
  attempt: number;
  reversible: boolean;
  /** Why a step is not reversible (no compensation declared, a kind without one). */
  reason?: string;
}

export type CompensationOutcome =
  | { nodeId: string; status: 'compensated' }
  | { nodeId: string; status: 'failed'; error: ErrorInfo }
  | { nodeId: string; status: 'not-reversible'; reason: string };

function reversibility(node: PlanNode): { reversible: boolean; reason?: string } {
  if (!node.executor?.compensate) {
    return { reversible: false, reason: `a ${node.kind} step has no automatic compensation` };
  }
  const config = node.config as { compensation?: unknown } | null;
  if (node.kind === 'http' && !config?.compensation) {
    return { reversible: false, reason: 'the node declares no compensation request' };
  }
  return { reversible: true };
}

/** What rolling back a whole run would do, in the order it would do it (reverse topological). */
export async function rollbackPlan(res: EngineResources, runId: string): Promise<RollbackEntry[]> {
  const run = await res.store.getRun(runId);
  if (!run) throw new EngineError('RUN_NOT_FOUND', `no run ${runId}`);
  const plan = await res.plans.get(run.workflowVersionId);
  const steps = new Map((await res.store.getSteps(runId)).map((s) => [s.nodeId, s]));
  const entries: RollbackEntry[] = [];
  for (const node of [...plan.order].reverse()) {
    const step = steps.get(node.id);
    if (step?.status !== 'succeeded' || node === plan.trigger) continue;
    if (node.pure) continue; // pure steps have no side effects to undo
    entries.push({ nodeId: node.id, kind: node.kind, attempt: step.attempt, ...reversibility(node) });
  }
  return entries;
}

/** Rolls back one succeeded step. */
export async function rollbackStep(
  res: EngineResources,
  runId: string,
  nodeId: string,
  options: RollbackOptions = {},
): Promise<CompensationOutcome> {
  const run = await res.store.getRun(runId);
  if (!run) throw new EngineError('RUN_NOT_FOUND', `no run ${runId}`);
  const plan = await res.plans.get(run.workflowVersionId);
  const node = plan.nodes.get(nodeId);
  if (!node) throw new EngineError('STEP_NOT_FOUND', `run ${runId} has no step "${nodeId}"`);
  const step = (await res.store.getSteps(runId)).find((s) => s.nodeId === nodeId);
  if (step?.status !== 'succeeded') {
    throw new EngineError(
      'NOT_REVERSIBLE',
      `step "${nodeId}" is ${step?.status ?? 'missing'}: only a succeeded step can be rolled back`,
    );
  }
  const { reversible, reason } = reversibility(node);
  if (!reversible) return { nodeId, status: 'not-reversible', reason: reason ?? 'not reversible' };
  return compensate(res, plan, run, node, step, options);
}

/** Rolls back every reversible succeeded step of a run, last first; lists the others. */
export async function rollbackRun(
  res: EngineResources,
  runId: string,
  options: RollbackOptions = {},
): Promise<CompensationOutcome[]> {
  const entries = await rollbackPlan(res, runId);
  const outcomes: CompensationOutcome[] = [];
  for (const entry of entries) {
    if (!entry.reversible) {
      outcomes.push({ nodeId: entry.nodeId, status: 'not-reversible', reason: entry.reason ?? '' });
      continue;
    }
    outcomes.push(await rollbackStep(res, runId, entry.nodeId, options));
  }
  return outcomes;
}

async function compensate(
  res: EngineResources,
  plan: ExecutionPlan,
  run: RunRecord,
  node: PlanNode,
  step: StepRecord,
  options: RollbackOptions,
): Promise<CompensationOutcome> {
  const executor = node.executor;
  if (!executor?.compensate) throw new Error('unreachable: checked by reversibility');
  const started = await res.store.transition(run.id, {}, async (tx) => {
    const current = (await tx.steps()).find((s) => s.nodeId === node.id);
    if (current?.status !== 'succeeded' || current.attempt !== step.attempt) return null;
    return {
      steps: [],
      events: [
        {
          type: 'step.compensating',
          payload: { nodeId: node.id, attempt: step.attempt },
          actorId: options.actorId ?? null,
        },
      ],
    };
  });
  if (started.status !== 'committed') {
    throw new EngineError('NOT_REVERSIBLE', `step "${node.id}" changed before its rollback could start`);
  }
  res.bus.publish(run.id, started.events, started.run);

  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? node.timeoutMs ?? res.defaultStepTimeoutMs;
  const timer = setTimeout(() => controller.abort(new Error('the compensation timed out')), timeoutMs);
  const began = performance.now();
  let outcome: { ok: true; output: unknown } | { ok: false; error: ErrorInfo };
  try {
    const inputs = Array.isArray(step.input) ? step.input : [];
    const claimed = {
      runId: run.id,
      nodeId: node.id,
      leaseToken: '',
      workspaceId: run.workspaceId,
      workflowVersionId: run.workflowVersionId,
      attempt: step.attempt,
      input: step.input,
      findings: step.meta?.findings ?? [],
      runTokens: run.tokensUsed,
      initiatedById: run.initiatedById,
      leaseExpiresAt: new Date(),
    };
    const ctx: ExecutorContext & { output: unknown } = {
      runId: run.id,
      nodeId: node.id,
      workspaceId: run.workspaceId,
      workflowId: plan.version.workflowId,
      attempt: step.attempt,
      idempotencyKey: idempotencyKey(run.id, node.id, step.attempt),
      config: node.config,
      input: inputs[0] ?? null,
      inputs,
      findings: claimed.findings,
      usage: { runTokens: run.tokensUsed },
      run: {
        id: run.id,
        workflowId: plan.version.workflowId,
        version: plan.version.version,
        initiatedBy: run.initiatedById ?? '',
        tokens: run.tokensUsed,
      },
      types: node.types,
      signal: controller.signal,
      log: (level, message) =>
        res.log[level === 'debug' ? 'debug' : 'info'](`compensate ${node.id}: ${message}`),
      heartbeat: async () => {},
      credential: (name) => revealCredential(res, plan, node, claimed, String(name)),
      stream: () => {},
      output: step.output,
    };
    const result = await executor.compensate(ctx);
    outcome = { ok: true, output: asJson(result.output ?? null) };
  } catch (error) {
    outcome = { ok: false, error: errorInfo(error).info };
  } finally {
    clearTimeout(timer);
  }
  const durationMs = Math.round(performance.now() - began);

  const finished = await res.store.transition(run.id, {}, async (tx) => {
    const current = (await tx.steps()).find((s) => s.nodeId === node.id);
    if (current?.status !== 'succeeded' || current.attempt !== step.attempt) return null;
    if (!outcome.ok) {
      return {
        steps: [],
        events: [
          {
            type: 'step.compensation_failed',
            payload: { nodeId: node.id, attempt: step.attempt, error: outcome.error },
            actorId: options.actorId ?? null,
          },
        ],
      };
    }
    return {
      steps: [
        {
          nodeId: node.id,
          status: 'compensated',
          attempt: step.attempt,
          output: step.output,
          error: null,
          ports: current.ports,
          ...(node.sealed ? { sealed: true } : {}),
        },
      ],
      events: [
        {
          type: 'step.compensated',
          payload: {
            nodeId: node.id,
            attempt: step.attempt,
            outputHash: contentHash(outcome.output),
            durationMs,
          },
          actorId: options.actorId ?? null,
        },
      ],
    };
  });
  if (finished.status === 'committed') res.bus.publish(run.id, finished.events, finished.run);
  return outcome.ok
    ? { nodeId: node.id, status: 'compensated' }
    : { nodeId: node.id, status: 'failed', error: outcome.error };
}
