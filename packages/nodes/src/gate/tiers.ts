// Choosing a gate's tier: its ordered rules are CEL conditions over the gate's input and the findings
// of the validators upstream; the first that holds decides, else the default tier. Pure.
import {
  evaluateExpression,
  type ExpressionScope,
  type ExpressionTypes,
  type Finding,
  type RunMetadata,
} from '@sluice/spec';
import { StepError } from '../executor.js';
import type { GateConfig, Tier } from './config.js';

/** Which rule sent the data where: `index` is null when no rule held and the default tier applied. */
export interface TierChoice {
  tier: Tier;
  index: number | null;
  when: string | null;
  reason: string;
}

/**
 * The tier for `input`: the first rule whose `when` holds, else the default. A rule that cannot be
 * evaluated fails the step (GATE_RULE_FAILED): a gate never guesses.
 *
 * @example
 * chooseTier(config, { input: { amount: 5000 }, findings: [] }); // { tier: 'review', index: 0, ... }
 */
export function chooseTier(
  config: Pick<GateConfig, 'tiers' | 'defaultTier'>,
  scope: { input: unknown; inputs?: readonly unknown[]; findings: readonly Finding[]; run?: RunMetadata },
  types: ExpressionTypes = {},
): TierChoice {
  const celScope: ExpressionScope = {
    input: scope.input,
    inputs: scope.inputs ?? [scope.input],
    findings: scope.findings,
    ...(scope.run ? { run: scope.run } : {}),
  };
  for (const [index, rule] of config.tiers.entries()) {
    const result = evaluateExpression(rule.when, celScope, { mode: 'condition', types });
    if (!result.ok) {
      throw new StepError(
        'GATE_RULE_FAILED',
        `tier rule ${index + 1} (${rule.reason}): ${result.problem.message}`,
      );
    }
    if (result.value === true) return { tier: rule.tier, index, when: rule.when, reason: rule.reason };
  }
  return {
    tier: config.defaultTier,
    index: null,
    when: null,
    reason: `no rule matched: default tier "${config.defaultTier}"`,
  };
}
