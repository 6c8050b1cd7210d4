// The context a pure step gets when the engine runs it inline, inside a transition: no secrets, no
// abort, no heartbeat; its log lines become step events (capped, and without data for sealed steps).
import type { Finding, RunEventDraft, RunMetadata } from '@sluice/spec';
import { StepError, type ExecutorContext, type ExecutorLogLevel } from '@sluice/nodes/server';
import { asJson, idempotencyKey } from '../ids.js';
import type { PlanNode } from '../plan.js';

const MAX_LOG_LINES = 100;
const neverAborted = new AbortController().signal;

/** The context of a pure step run inline (a class: one is made per step, closures would cost more). */
export class InlineContext implements ExecutorContext {
  readonly nodeId: string;
  readonly config: unknown;
  readonly input: unknown;
  readonly types: ExecutorContext['types'];
  readonly signal = neverAborted;
  readonly usage: { runTokens: number };
  readonly run: RunMetadata;
  readonly #sealed: boolean;
  #logs = 0;

  constructor(
    readonly runId: string,
    readonly workspaceId: string,
    readonly workflowId: string,
    node: PlanNode,
    readonly attempt: number,
    readonly inputs: unknown[],
    readonly findings: readonly Finding[],
    runTokens: number,
    private readonly events: RunEventDraft[],
    run: Omit<RunMetadata, 'tokens'>,
  ) {
    this.nodeId = node.id;
    this.config = node.config;
    this.input = inputs[0] ?? null;
    this.types = node.types;
    this.usage = { runTokens };
    this.run = { ...run, tokens: runTokens };
    this.#sealed = node.sealed;
  }

  /** Pure steps run inside a transaction and never see secrets. */
  async credential(name: string): Promise<string> {
    throw new StepError(
      'CREDENTIAL_REFUSED',
      `credential "${name}": steps the engine runs inline (pure kinds) cannot use credentials`,
    );
  }

  stream(): void {}

  get idempotencyKey(): string {
    return idempotencyKey(this.runId, this.nodeId, this.attempt);
  }

  log(level: ExecutorLogLevel, message: string, data?: unknown): void {
    if (++this.#logs > MAX_LOG_LINES) return;
    // Log lines are events, which are not encrypted: a confidential step's lines carry no data.
    if (this.#sealed) data = undefined;
    const payload = {
      nodeId: this.nodeId,
      attempt: this.attempt,
      level,
      message: String(message).slice(0, 4000),
    };
    this.events.push({
      type: 'step.log',
      payload: data === undefined ? payload : { ...payload, data: asJson(data) },
    });
  }

  async heartbeat(): Promise<void> {}
}
