// The gate executor (pure: run inline by the engine). `auto` continues on `approved` and records the
// rule; `block` fails the step with the rule's reason; `review` opens a wait whose payload is what the
// reviewers are shown (the summary, the `show` values and the data itself) and whose request holds
// everything the decision logic needs later (decision.ts).
import { evaluateExpression, type Finding, renderTemplate, type RunMetadata } from '@sluice/spec';
import {
  type Executor,
  type ExecutorContext,
  StepError,
  type StepResult,
  type StepWait,
} from '../executor.js';
import type { GateConfig } from './config.js';
import type { GatePayload, GateRequest } from './request.js';
import { chooseTier, type TierChoice } from './tiers.js';

/** Where the rule that matched is recorded (step details, and the request under review). */
function ruleOf(choice: TierChoice): GateRequest['rule'] {
  return { index: choice.index, when: choice.when, reason: choice.reason };
}

function scopeOf(ctx: ExecutorContext<GateConfig>): {
  input: unknown;
  inputs: readonly unknown[];
  findings: readonly Finding[];
  run: RunMetadata | undefined;
} {
  return { input: ctx.input, inputs: ctx.inputs, findings: ctx.findings, run: ctx.run };
}

/** What the reviewer is shown: the rendered summary, each `show` value, and the data. */
export function reviewPayload(ctx: ExecutorContext<GateConfig>): GatePayload {
  const scope = scopeOf(ctx);
  const summary = renderTemplate(ctx.config.summary, scope, { types: ctx.types });
  if (!summary.ok) throw new StepError('EXPRESSION_FAILED', `summary: ${summary.problem.message}`);
  const shown = ctx.config.show.map((item, i) => {
    const value = evaluateExpression(item.value, scope, { mode: 'value', types: ctx.types });
    if (!value.ok)
      throw new StepError('EXPRESSION_FAILED', `show[${i}] (${item.label}): ${value.problem.message}`);
    return { label: item.label, value: value.value };
  });
  return { summary: summary.value, shown, input: ctx.input };
}

/** The review request stored with the wait, from the config and the time it opens. */
export function reviewRequest(config: GateConfig, choice: TierChoice, openedAt: Date): GateRequest {
  const expiresAt = new Date(openedAt.getTime() + config.expiry.afterMs);
  const remindAfter = config.expiry.remindAfterMs;
  const remindAt =
    remindAfter !== undefined && remindAfter < config.expiry.afterMs
      ? new Date(openedAt.getTime() + remindAfter).toISOString()
      : undefined;
  return {
    rule: ruleOf(choice),
    approvers: { roles: [...config.approvers.roles], users: [...config.approvers.users] },
    quorum: config.quorum,
    separationOfDuties: { ...config.separationOfDuties },
    expiry: {
      expiresAt: expiresAt.toISOString(),
      afterMs: config.expiry.afterMs,
      onExpiry: config.expiry.onExpiry,
      ...(config.expiry.escalateTo
        ? {
            escalateTo: {
              roles: [...config.expiry.escalateTo.roles],
              users: [...config.expiry.escalateTo.users],
            },
          }
        : {}),
      ...(remindAt ? { remindAt } : {}),
    },
  };
}

/**
 * Evaluates the tier rules over the input and the upstream findings (first match wins, else the
 * default tier) and continues, blocks, or opens a review that waits without a worker.
 */
export const gateExecutor: Executor<GateConfig> = {
  kind: 'gate',
  pure: true,
  execute(ctx): StepResult | StepWait {
    const choice = chooseTier(ctx.config, scopeOf(ctx), ctx.types);
    const details = { tier: choice.tier, rule: ruleOf(choice) };
    if (choice.tier === 'auto') {
      return { output: ctx.input, ports: ['approved'], details: { ...details, decision: 'auto' } };
    }
    if (choice.tier === 'block') {
      throw new StepError('GATE_BLOCKED', `blocked: ${choice.reason}`);
    }
    const openedAt = new Date();
    const request = reviewRequest(ctx.config, choice, openedAt);
    const firstDue = request.expiry.remindAt ?? request.expiry.expiresAt;
    return {
      wait: { kind: 'gate', payload: reviewPayload(ctx), request, expiresAt: new Date(firstDue) },
      details,
    };
  },
};
