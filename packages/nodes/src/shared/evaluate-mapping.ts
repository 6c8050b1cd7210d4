// Evaluating a node's CEL mapping against a step's context (shared by transform and output).
import { evaluateExpression, type JsonValue } from '@sluice/spec';
import { type ExecutorContext, StepError } from '../executor.js';

/** Each field's expression evaluated over `input`/`inputs`/`findings`; the first failure fails the step. */
export function evaluateMapping(
  mapping: Readonly<Record<string, string>>,
  ctx: ExecutorContext<unknown>,
): Record<string, JsonValue> {
  const scope = { input: ctx.input, inputs: ctx.inputs, findings: ctx.findings, run: ctx.run };
  const out: Record<string, JsonValue> = {};
  for (const [field, source] of Object.entries(mapping)) {
    const result = evaluateExpression(source, scope, { mode: 'value', types: ctx.types });
    if (!result.ok) throw new StepError('EXPRESSION_FAILED', `${field}: ${result.problem.message}`);
    out[field] = result.value;
  }
  return out;
}
