// Executing one claimed step and committing its outcome. The outcome is committed in one
// transaction that is fenced on the lease (a worker that lost its lease cannot complete the step),
// holds the run's lock, readies the successors, runs the pure ones inline and appends the events.
import type { ErrorInfo, RunEventDraft } from '@sluice/spec';
import {
  type ExecutorContext,
  type ExecutorLogLevel,
  StepError,
  type StepResult,
  type StepWait,
} from '@sluice/nodes/server';
import { asJson, idempotencyKey } from '../ids.js';
import type { ExecutionPlan, PlanNode } from '../plan.js';
import type { EngineResources } from '../resources.js';
import type { ClaimedStep, RunTransaction, TransitionResult, TransitionWrite } from '../store.js';
import { CredentialRefusedError, type CredentialRequest } from '../vault.js';
import { type LiveStep, Transition } from './advance.js';
import { errorInfo, hashOutput, isWait } from './step-outcome.js';

/** Why a running step's signal was aborted. */
export type AbortCause = 'timeout' | 'cancelled' | 'lease-lost' | 'stopping';

export class StepAborted extends Error {
  constructor(readonly kind: AbortCause) {
    super(`step aborted: ${kind}`);
    this.name = 'StepAborted';
  }
}

type Outcome =
  | { ok: true; result: StepResult | StepWait; durationMs: number }
  | { ok: false; error: ErrorInfo; retryable: boolean; durationMs: number };

const MAX_LOG_LINES = 100;
const COMMIT_ATTEMPTS = 4;

/** Runs a claimed step to its end and commits the outcome; never throws. */
export async function executeClaimed(
  res: EngineResources,
  step: ClaimedStep,
  heartbeat: (leaseToken: string) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  res.running.set(step.leaseToken, { step, controller });
  let timer: NodeJS.Timeout | undefined;
  try {
    const plan = await res.plans.get(step.workflowVersionId);
    const node = plan.nodes.get(step.nodeId);
    if (!node) throw new Error(`version ${step.workflowVersionId} has no node "${step.nodeId}"`);
    const timeoutMs = node.timeoutMs ?? res.defaultStepTimeoutMs;
    timer = setTimeout(() => controller.abort(new StepAborted('timeout')), timeoutMs);
    const logs: RunEventDraft[] = [];
    const outcome = await run(res, plan, node, step, controller.signal, logs, heartbeat);
    res.log.debug(
      `step ${step.nodeId} of run ${step.runId} executed: ${outcome.ok ? 'ok' : outcome.error.code}`,
    );
    const cause = controller.signal.reason instanceof StepAborted ? controller.signal.reason.kind : undefined;
    // Cancelled, or the lease went to another worker: the step is no longer ours to complete.
    if (cause === 'cancelled' || cause === 'lease-lost' || cause === 'stopping') return;
    const final: Outcome =
      cause === 'timeout'
        ? {
            ok: false,
            error: { code: 'STEP_TIMEOUT', message: `the step did not finish within ${timeoutMs} ms` },
            retryable: true,
            durationMs: outcome.durationMs,
          }
        : outcome;
    await complete(res, plan, node, step, final, logs);
  } catch (error) {
    res.log.error(
      `step ${step.nodeId} of run ${step.runId}: ${error instanceof Error ? error.message : error}`,
    );
  } finally {
    clearTimeout(timer);
    res.running.delete(step.leaseToken);
  }
}

async function run(
  res: EngineResources,
  plan: ExecutionPlan,
  node: PlanNode,
  step: ClaimedStep,
  signal: AbortSignal,
  logs: RunEventDraft[],
  heartbeat: (leaseToken: string) => Promise<void>,
): Promise<Outcome> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 1000) / 1000;
  const executor = node.executor;
  if (!executor) {
    const message = `no executor for node kind "${node.kind}" is registered in the worker that claimed the step`;
    return { ok: false, error: { code: 'EXECUTOR_MISSING', message }, retryable: false, durationMs: 0 };
  }
  const inputs = Array.isArray(step.input) ? step.input : [];
  const ctx: ExecutorContext = {
    runId: step.runId,
    nodeId: step.nodeId,
    workspaceId: step.workspaceId,
    workflowId: plan.version.workflowId,
    attempt: step.attempt,
    idempotencyKey: idempotencyKey(step.runId, step.nodeId, step.attempt),
    config: node.config,
    input: inputs[0] ?? null,
    inputs,
    findings: step.findings,
    usage: { runTokens: step.runTokens },
    run: {
      id: step.runId,
      workflowId: plan.version.workflowId,
      version: plan.version.version,
      initiatedBy: step.initiatedById ?? '',
      tokens: step.runTokens,
    },
    types: node.types,
    signal,
    log(level: ExecutorLogLevel, message: string, data?: unknown) {
      if (logs.length >= MAX_LOG_LINES) return;
      // Log lines are events, which are not encrypted: a confidential step's lines carry no data.
      if (node.sealed) data = undefined;
      const payload = {
        nodeId: step.nodeId,
        attempt: step.attempt,
        level,
        message: String(message).slice(0, 4000),
      };
      logs.push({
        type: 'step.log',
        payload: data === undefined ? payload : { ...payload, data: asJson(data) },
      });
    },
    heartbeat: () => heartbeat(step.leaseToken),
    credential: (name) => revealCredential(res, plan, node, step, String(name)),
    stream(chunk) {
      res.bus.publishLive(step.runId, { nodeId: step.nodeId, attempt: step.attempt, chunk });
    },
  };
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const result = await Promise.race([Promise.resolve().then(() => executor.execute(ctx)), aborted]);
    if (!isWait(result)) hashOutput(result.output ?? null);
    return { ok: true, result, durationMs: elapsed() };
  } catch (error) {
    const { info, retryable } = errorInfo(error);
    return { ok: false, error: info, retryable, durationMs: elapsed() };
  }
}

async function complete(
  res: EngineResources,
  plan: ExecutionPlan,
  node: PlanNode,
  step: ClaimedStep,
  outcome: Outcome,
  logs: RunEventDraft[],
): Promise<void> {
  const body = async (tx: RunTransaction): Promise<TransitionWrite> => {
    const steps = new Map<string, LiveStep>();
    for (const s of await tx.steps()) steps.set(s.nodeId, { ...s, loaded: false });
    const t = new Transition({
      plan,
      runId: step.runId,
      workspaceId: tx.run.workspaceId,
      initiatedById: tx.run.initiatedById,
      runTokens: tx.run.tokensUsed,
      runInput: tx.run.input,
      steps,
      loadOutputs: tx.outputs,
      now: new Date(),
    });
    t.events.push(...logs);
    const result = outcome.ok ? outcome.result : undefined;
    if (result && isWait(result)) {
      t.waiting(node, step.attempt, result, step.findings);
    } else if (result && outcome.ok) {
      await t.succeeded(node, step.attempt, result, outcome.durationMs, step.findings);
    } else if (!outcome.ok) {
      const inputs = Array.isArray(step.input) ? step.input : [];
      t.fail(node, step.attempt, outcome.error, outcome.retryable, inputs);
    }
    await t.finish();
    return {
      steps: [...t.writes.values()],
      events: t.events,
      run: t.run,
      waits: t.waits,
      tokens: t.tokens,
      readyWork: t.readyWork,
    };
  };
  let result: TransitionResult | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      result = await res.store.transition(step.runId, { fence: step }, body);
      break;
    } catch (error) {
      // The database may be briefly away; if it stays away the lease runs out and the step is
      // executed again, with the same idempotency key.
      if (attempt >= COMMIT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
  res.log.debug(`step ${step.nodeId} of run ${step.runId}: ${result.status}`);
  if (result.status === 'committed') {
    res.bus.publish(step.runId, result.events, result.run);
    if (
      result.events.some((e) => e.type === 'step.ready' || (e.type === 'step.failed' && e.payload.willRetry))
    ) {
      res.wakeWorkers();
    }
  } else if (result.status === 'fenced') {
    res.log.debug(`step ${step.nodeId} of run ${step.runId}: lease no longer held, outcome dropped`);
  }
}

/**
 * A credential for one executor call: refused while a gate upstream of the step is not approved
 * (gated secrets), and otherwise asked of the vault, which checks the binding. Every refusal is
 * recorded by the vault (audit event and alert).
 */
export async function revealCredential(
  res: EngineResources,
  plan: ExecutionPlan,
  node: PlanNode,
  step: ClaimedStep,
  name: string,
): Promise<string> {
  const request: CredentialRequest = {
    workspaceId: step.workspaceId,
    workflowId: plan.version.workflowId,
    workflowVersionId: plan.version.id,
    runId: step.runId,
    nodeId: step.nodeId,
    name,
  };
  const vault = res.vault;
  if (!vault) {
    throw new StepError('CREDENTIAL_REFUSED', `credential "${name}": no credentials vault is configured`);
  }
  if (node.gatesUpstream.length > 0) {
    const steps = await res.store.getSteps(step.runId);
    const pending = node.gatesUpstream.filter(
      (gate) => steps.find((s) => s.nodeId === gate)?.status !== 'succeeded',
    );
    if (pending.length > 0) {
      const reason = `gate ${pending.map((g) => `"${g}"`).join(', ')} upstream of this step is not approved`;
      await vault.refused(request, reason);
      throw new StepError('CREDENTIAL_REFUSED', `credential "${name}": ${reason}`);
    }
  }
  try {
    return await vault.reveal(request);
  } catch (error) {
    if (error instanceof CredentialRefusedError) throw new StepError('CREDENTIAL_REFUSED', error.message);
    throw error;
  }
}
