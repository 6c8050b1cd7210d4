// The executors of the kinds this build runs, by kind (server-only; see server.ts).
import { aiExecutor } from './ai/execute.js';
import { branchExecutor } from './branch/execute.js';
import type { Executor, ExecutorRegistry } from './executor.js';
import { gateExecutor } from './gate/execute.js';
import { httpExecutor } from './http/execute.js';
import { humanExecutor } from './human/execute.js';
import { outputExecutor } from './output/execute.js';
import { transformExecutor } from './transform/execute.js';
import { triggerExecutor } from './trigger/execute.js';
import { validatorExecutor } from './validator/execute.js';

/**
 * Builds a registry; a kind registered twice is a programming error and throws.
 *
 * @example
 * const executors = executorRegistry([...builtinExecutors, myHttpExecutor]);
 */
export function executorRegistry(executors: readonly Executor[]): ExecutorRegistry {
  const byKind = new Map<string, Executor>();
  for (const executor of executors) {
    if (byKind.has(executor.kind)) throw new Error(`an executor for "${executor.kind}" is registered twice`);
    byKind.set(executor.kind, executor);
  }
  return byKind;
}

/**
 * The executors implemented so far, one line per kind. Steps of the other kinds wait for a worker
 * that has their executor; a worker that claims one without it fails it with EXECUTOR_MISSING.
 * (`subflow` is run by the engine itself.)
 */
export const builtinExecutors: readonly Executor[] = [
  triggerExecutor,
  transformExecutor,
  branchExecutor,
  outputExecutor,
  aiExecutor,
  httpExecutor,
  validatorExecutor,
  gateExecutor,
  humanExecutor,
];

/** The registry `sluice start` and `sluice worker` run with. */
export const serverExecutors: ExecutorRegistry = executorRegistry(builtinExecutors);
