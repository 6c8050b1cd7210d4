import type { OutputConfig } from './definition.js';
import type { Executor } from '../executor.js';
import { evaluateMapping } from '../shared/evaluate-mapping.js';

/** The run's result: the input as it arrives, or the mapped fields. */
export const outputExecutor: Executor<OutputConfig> = {
  kind: 'output',
  pure: true,
  execute(ctx) {
    const mapping = ctx.config.mapping ?? {};
    return { output: Object.keys(mapping).length === 0 ? ctx.input : evaluateMapping(mapping, ctx) };
  },
};
