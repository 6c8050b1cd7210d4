// The CEL rules that must hold, evaluated with the spec's CEL environment (the same limits and
// typing as every other expression). A rule that cannot be evaluated counts as not holding.
import { evaluateExpression, type Finding } from '@sluice/spec';
import type { ExecutorContext } from '../executor.js';
import type { ValidatorConfig } from './config.js';
import { scrubQuoted } from './findings.js';

/** One finding per rule that is false or fails to evaluate (quoted text in CEL errors is elided). */
export function ruleFindings(
  ctx: Pick<ExecutorContext, 'input' | 'inputs' | 'findings' | 'types' | 'nodeId' | 'run'>,
  config: Pick<ValidatorConfig, 'rules' | 'onFailure'>,
): Finding[] {
  const scope = { input: ctx.input, inputs: ctx.inputs, findings: ctx.findings, run: ctx.run };
  const out: Finding[] = [];
  for (const rule of config.rules) {
    const result = evaluateExpression(rule.expr, scope, { mode: 'condition', types: ctx.types });
    if (result.ok && result.value === true) continue;
    const message = result.ok
      ? rule.message || `rule "${rule.name}" does not hold`
      : `rule "${rule.name}" could not be evaluated (${result.problem.code}: ${scrubQuoted(result.problem.message)})`;
    out.push({
      nodeId: ctx.nodeId,
      check: 'rule',
      name: rule.name,
      severity: 'medium',
      path: '',
      message,
      action: config.onFailure,
    });
  }
  return out;
}
