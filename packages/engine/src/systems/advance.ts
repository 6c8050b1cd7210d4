// One transition of a run, computed in memory: apply what happened (a run started, a worker's step
// finished or failed, a cancel), run the pure steps that became ready right here, ready the others
// for workers, propagate skips, and decide the run's status. The caller commits the result as one
// transaction; nothing here touches storage except loading outputs it needs.
import type { ErrorInfo, Finding, RunEventDraft, SettledStep } from '@sluice/spec';
import type { StepResult, StepWait } from '@sluice/nodes/server';
import { asJson, contentHash } from '../ids.js';
import type { ExecutionPlan, PlanNode } from '../plan.js';
import {
  type RunWrite,
  type StepOutput,
  type StepStatus,
  type StepWrite,
  TERMINAL_STEP_STATUSES,
  type WaitWrite,
} from '../store.js';
import { inspectHandoffs } from './handoffs.js';
import { InlineContext } from './inline-context.js';
import { maxAttempts, retryDelayMs } from './retries.js';
import { runOutcome, settle, type StepView } from './scheduler.js';
import { StepInputs } from './step-inputs.js';
import { errorInfo, hashOutput, isWait, mergeFindings, stepMeta } from './step-outcome.js';

/** A step as a transition tracks it; `output` is known once `loaded`. */
export interface LiveStep {
  status: StepStatus;
  attempt: number;
  ports: readonly string[];
  output?: unknown;
  /** The findings that travel on with the output (known once `loaded`). */
  findings?: readonly Finding[];
  loaded: boolean;
}

export interface TransitionSource {
  plan: ExecutionPlan;
  runId: string;
  workspaceId: string;
  runInput: unknown;
  /** Tokens the run had used before this transition. */
  runTokens?: number;
  /** Who started the run (expressions read it as `run.initiatedBy`). */
  initiatedById?: string | null;
  steps: Map<string, LiveStep>;
  /** Loads stored outputs of settled steps (not needed when the whole run is in memory). */
  loadOutputs?: (nodeIds: string[]) => Promise<Map<string, StepOutput>>;
  now: Date;
}

export class Transition {
  readonly writes = new Map<string, StepWrite>();
  readonly events: RunEventDraft[] = [];
  readonly waits: WaitWrite[] = [];
  /** Tokens used by the steps settled in this transition. */
  tokens = 0;
  readyWork = false;
  failure: ErrorInfo | undefined;
  run: RunWrite | undefined;
  #settled: SettledStep[] | undefined;
  readonly view: StepView;
  readonly #inputs: StepInputs;

  constructor(readonly src: TransitionSource) {
    this.#inputs = new StepInputs(src.steps, src.loadOutputs);
    this.view = {
      status: (id) => src.steps.get(id)?.status ?? 'pending',
      ports: (id) => src.steps.get(id)?.ports ?? [],
    };
  }

  get plan(): ExecutionPlan {
    return this.src.plan;
  }

  /** Runs the trigger on the run input and everything that follows from it. */
  async start(): Promise<void> {
    const trigger = this.plan.trigger;
    if (!trigger.executor) {
      // The trigger's output is the run input, with or without a registered executor for it.
      const output = this.src.runInput;
      this.#set(trigger, { status: 'succeeded', attempt: 1, ports: trigger.ports, output });
      this.#record({
        attempt: 1,
        nodeId: trigger.id,
        outputHash: contentHash(output),
        ports: trigger.ports,
        status: 'succeeded',
      });
      await this.settleFrom([trigger.id]);
      return;
    }
    if (await this.#runInline(trigger, [this.src.runInput])) await this.settleFrom([trigger.id]);
  }

  /** Readies, runs inline or skips whatever the settling of `nodeIds` unblocked, transitively. */
  async settleFrom(nodeIds: string[]): Promise<void> {
    let frontier = nodeIds;
    while (frontier.length > 0 && !this.failure) {
      const { ready, skipped } = settle(this.plan, this.view, frontier);
      const next: string[] = [];
      for (const node of skipped) {
        this.#set(node, { status: 'skipped', attempt: this.#step(node).attempt, ports: [] });
        this.#record({ nodeId: node.id, status: 'skipped' });
      }
      for (const node of ready) {
        if (this.failure) break;
        // Sync when every input is in memory (always, in a run's first transition): a chain of pure
        // steps then runs without a promise per step.
        const { inputs, findings, sources } = this.#inputs.inMemory(node) ?? (await this.#inputs.of(node));
        const handoff = inspectHandoffs(this.plan, node, sources, inputs);
        this.events.push(...handoff.events);
        if (handoff.blocked) {
          this.fail(node, 1, handoff.blocked, false, inputs);
        } else if (!node.executor && !node.known) {
          const message = `"${node.kind}" is not a node kind this version of Sluice knows`;
          this.fail(node, 1, { code: 'EXECUTOR_MISSING', message }, false, inputs);
        } else if (node.executor && node.pure) {
          const ran = this.#runInline(node, inputs, findings);
          if (ran === true || (ran !== false && (await ran))) next.push(node.id);
        } else {
          // A fresh step has attempt 0; a rerun's reset step keeps its last attempt and goes on from it.
          this.ready(node, this.#step(node).attempt + 1, inputs, this.src.now, findings);
        }
      }
      frontier = next;
    }
  }

  /**
   * Records a worker's successful step (or a step resolved by people), then settles what follows.
   * `inherited`: the findings the step received from upstream.
   */
  async succeeded(
    node: PlanNode,
    attempt: number,
    result: StepResult,
    durationMs: number,
    inherited: readonly Finding[] = [],
  ): Promise<void> {
    const output = result.output ?? null;
    const ports = this.#portsOf(node, result);
    const findings = mergeFindings([inherited, result.findings]);
    this.#set(node, {
      status: 'succeeded',
      attempt,
      ports,
      output,
      meta: stepMeta(findings, result),
      findings,
    });
    this.tokens += result.tokens ?? 0;
    this.events.push({
      type: 'step.succeeded',
      payload: { nodeId: node.id, attempt, outputHash: contentHash(output), ports, durationMs },
    });
    await this.settleFrom([node.id]);
  }

  /** A step that waits for people: it holds no worker until a decision resolves it. */
  waiting(node: PlanNode, attempt: number, result: StepWait, inherited: readonly Finding[]): void {
    const findings = mergeFindings([inherited, result.findings]);
    const payload = asJson(result.wait.payload);
    const payloadHash = contentHash(payload);
    const expiresAt = result.wait.expiresAt ?? null;
    this.#set(node, { status: 'waiting', attempt, ports: [], meta: stepMeta(findings, result) });
    this.waits.push({
      op: 'open',
      nodeId: node.id,
      kind: result.wait.kind,
      attempt,
      payload,
      payloadHash,
      request: asJson(result.wait.request) as Record<string, unknown>,
      expiresAt,
      sealed: node.sealed,
    });
    this.events.push({
      type: 'step.waiting',
      payload: {
        nodeId: node.id,
        reason: result.wait.kind === 'gate' ? 'awaiting approval' : 'awaiting a person',
        attempt,
        kind: result.wait.kind,
        payloadHash,
        ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
      },
    });
  }

  /** Makes a step claimable by workers from `availableAt`, with the inputs it will execute on. */
  ready(
    node: PlanNode,
    attempt: number,
    inputs: unknown[],
    availableAt: Date,
    findings: readonly Finding[] = [],
  ): void {
    this.#set(node, {
      status: 'ready',
      attempt,
      ports: [],
      input: inputs,
      availableAt,
      meta: stepMeta(findings),
    });
    this.events.push({
      type: 'step.ready',
      payload: { nodeId: node.id, attempt, availableAt: availableAt.toISOString() },
    });
    this.readyWork = true;
  }

  /** A failed attempt: retried later when the error allows and attempts remain, else the run fails. */
  fail(node: PlanNode, attempt: number, error: ErrorInfo, retryable: boolean, inputs: unknown[]): void {
    if (retryable && node.retry && attempt < maxAttempts(node.retry)) {
      const retryAt = new Date(this.src.now.getTime() + retryDelayMs(node.retry, attempt));
      this.#set(node, {
        status: 'ready',
        attempt: attempt + 1,
        ports: [],
        input: inputs,
        availableAt: retryAt,
        error,
      });
      this.events.push({
        type: 'step.failed',
        payload: { nodeId: node.id, attempt, error, willRetry: true, retryAt: retryAt.toISOString() },
      });
      this.readyWork = true;
      return;
    }
    this.#set(node, { status: 'failed', attempt, ports: [], error });
    this.events.push({ type: 'step.failed', payload: { nodeId: node.id, attempt, error, willRetry: false } });
    this.failure ??= { ...error, nodeId: node.id };
  }

  /** Cancels every step that has not settled (the run failed or was cancelled). */
  cancelUnsettled(): void {
    for (const node of this.plan.order) {
      const step = this.#step(node);
      if (TERMINAL_STEP_STATUSES.has(step.status)) continue;
      if (step.status === 'waiting') this.waits.push({ op: 'cancel', nodeId: node.id });
      this.#set(node, { status: 'cancelled', attempt: step.attempt, ports: [] });
      this.#record({ nodeId: node.id, status: 'cancelled' });
    }
  }

  /** Decides the run's status (and output) from its steps, appending the run's final event. */
  async finish(): Promise<void> {
    const now = this.src.now;
    if (this.failure) {
      this.cancelUnsettled();
      this.run = { status: 'failed', output: null, error: this.failure, finishedAt: now };
      this.events.push({ type: 'run.failed', payload: { error: this.failure } });
      return;
    }
    const outcome = runOutcome(this.plan, this.view);
    if (outcome !== 'succeeded') {
      this.run = { status: outcome, output: null, error: null, finishedAt: null };
      return;
    }
    const output = await this.#runOutput();
    this.run = {
      status: 'succeeded',
      output,
      error: null,
      finishedAt: now,
      sealOutput: this.plan.sealOutput,
    };
    this.events.push({ type: 'run.succeeded', payload: { outputHash: contentHash(output) } });
  }

  #step(node: PlanNode): LiveStep {
    const step = this.src.steps.get(node.id);
    if (!step) throw new Error(`run ${this.src.runId} has no step for node "${node.id}"`);
    return step;
  }

  #set(
    node: PlanNode,
    change: Pick<StepWrite, 'status' | 'attempt' | 'input' | 'availableAt' | 'meta'> & {
      ports: readonly string[];
      output?: unknown;
      error?: unknown;
      findings?: readonly Finding[];
    },
  ): void {
    const step = this.#step(node);
    step.status = change.status;
    step.attempt = change.attempt;
    step.ports = change.ports;
    if (change.status === 'succeeded') {
      step.output = change.output;
      step.findings = change.findings ?? [];
      step.loaded = true;
    }
    this.writes.set(node.id, {
      nodeId: node.id,
      status: change.status,
      attempt: change.attempt,
      output: change.output ?? null,
      error: change.error ?? null,
      ports: change.ports,
      input: change.input,
      availableAt: change.availableAt,
      ...(change.meta !== undefined ? { meta: change.meta } : {}),
      ...(node.sealed ? { sealed: true } : {}),
    });
  }

  #record(entry: SettledStep): void {
    if (!this.#settled) {
      this.#settled = [];
      this.events.push({ type: 'steps.settled', payload: { steps: this.#settled } });
    }
    this.#settled.push(entry);
  }

  #portsOf(node: PlanNode, result: StepResult): string[] {
    if (!result.ports) return node.ports;
    return result.ports.filter((port) => node.ports.includes(port));
  }

  /**
   * Runs a pure step here; true when it succeeded. Sync when its executor is (transform, branch,
   * output): only an executor that returns a promise makes this one.
   */
  #runInline(
    node: PlanNode,
    inputs: unknown[],
    inherited: readonly Finding[] = [],
  ): boolean | Promise<boolean> {
    const executor = node.executor;
    if (!executor) return false;
    const attempt = this.#step(node).attempt + 1;
    const ctx = new InlineContext(
      this.src.runId,
      this.src.workspaceId,
      this.plan.version.workflowId,
      node,
      attempt,
      inputs,
      inherited,
      (this.src.runTokens ?? 0) + this.tokens,
      this.events,
      {
        id: this.src.runId,
        workflowId: this.plan.version.workflowId,
        version: this.plan.version.version,
        initiatedBy: this.src.initiatedById ?? '',
      },
    );
    let returned: ReturnType<typeof executor.execute>;
    try {
      returned = executor.execute(ctx);
    } catch (error) {
      return this.#inlineFailed(node, attempt, inputs, error);
    }
    if (returned instanceof Promise) {
      return returned.then(
        (result) => this.#inlineReturned(node, attempt, inputs, inherited, result),
        (error: unknown) => this.#inlineFailed(node, attempt, inputs, error),
      );
    }
    return this.#inlineReturned(node, attempt, inputs, inherited, returned);
  }

  #inlineReturned(
    node: PlanNode,
    attempt: number,
    inputs: unknown[],
    inherited: readonly Finding[],
    result: StepResult | StepWait,
  ): boolean {
    try {
      if (isWait(result)) {
        this.waiting(node, attempt, result, inherited);
        return false;
      }
      const output = result.output ?? null;
      const ports = this.#portsOf(node, result);
      const outputHash = hashOutput(output);
      const findings = mergeFindings([inherited, result.findings]);
      this.tokens += result.tokens ?? 0;
      this.#set(node, {
        status: 'succeeded',
        attempt,
        ports,
        output,
        meta: stepMeta(findings, result),
        findings,
      });
      // Keys in canonical order: hashing the event then needs no sort.
      this.#record({ attempt, nodeId: node.id, outputHash, ports, status: 'succeeded' });
      return true;
    } catch (error) {
      return this.#inlineFailed(node, attempt, inputs, error);
    }
  }

  #inlineFailed(node: PlanNode, attempt: number, inputs: unknown[], error: unknown): false {
    const { info, retryable } = errorInfo(error);
    this.fail(node, attempt, info, retryable, inputs);
    return false;
  }

  /** The inputs a step would execute on now (a rerun, a resolved wait's record). */
  inputsOf(node: PlanNode): Promise<{ inputs: unknown[]; findings: Finding[] }> {
    return this.#inputs.of(node);
  }

  async #runOutput(): Promise<unknown> {
    const done = this.plan.outputs.filter((n) => this.view.status(n.id) === 'succeeded');
    await this.#inputs.load(done.map((n) => n.id));
    if (done.length === 0) return null;
    if (done.length === 1) return this.src.steps.get(done[0]?.id ?? '')?.output ?? null;
    return Object.fromEntries(done.map((n) => [n.id, this.src.steps.get(n.id)?.output ?? null]));
  }
}
