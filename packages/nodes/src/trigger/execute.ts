import type { TriggerConfig } from '@sluice/spec';
import type { Executor } from '../executor.js';

/** The trigger step: its output is the run input (already checked against the input schema). */
export const triggerExecutor: Executor<TriggerConfig> = {
  kind: 'trigger',
  pure: true,
  execute: (ctx) => ({ output: ctx.input }),
};
