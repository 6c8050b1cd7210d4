import type { TransformConfig } from './definition.js';
import type { Executor } from '../executor.js';
import { evaluateMapping } from '../shared/evaluate-mapping.js';

/** Each output field is its CEL expression evaluated over the input. */
export const transformExecutor: Executor<TransformConfig> = {
  kind: 'transform',
  pure: true,
  execute: (ctx) => ({ output: evaluateMapping(ctx.config.mapping, ctx) }),
};
