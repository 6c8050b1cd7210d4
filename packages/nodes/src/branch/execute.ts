import type { BranchConfig } from './definition.js';
import { evaluateExpression } from '@sluice/spec';
import { type Executor, StepError } from '../executor.js';

/** Passes the input on through the port of the first case whose condition holds, else the default port. */
export const branchExecutor: Executor<BranchConfig> = {
  kind: 'branch',
  pure: true,
  execute(ctx) {
    const scope = { input: ctx.input, inputs: ctx.inputs, findings: ctx.findings, run: ctx.run };
    for (const [i, c] of ctx.config.cases.entries()) {
      const result = evaluateExpression(c.when, scope, { mode: 'condition', types: ctx.types });
      if (!result.ok)
        throw new StepError('EXPRESSION_FAILED', `case ${i + 1} (${c.port}): ${result.problem.message}`);
      if (result.value === true) return { output: ctx.input, ports: [c.port] };
    }
    return { output: ctx.input, ports: [ctx.config.defaultPort] };
  },
};
