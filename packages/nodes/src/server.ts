// @sluice/nodes/server: the server-only entry: the registry, compiling with native hashing, and the
// executors that run steps (the contract in ./executor.ts, one execute.ts per kind).
export { getKind, type NodeConfigs, type NodeKind, registry } from './registry.js';
export { compileOnServer, nativeSha256 } from './server-compile.js';
export {
  type Executor,
  type ExecutorContext,
  type ExecutorLogLevel,
  type ExecutorRegistry,
  StepError,
  type StepResult,
  type StepStreamChunk,
  type StepWait,
} from './executor.js';
export { builtinExecutors, executorRegistry, serverExecutors } from './executors.js';
export { aiExecutor } from './ai/execute.js';
export { branchExecutor } from './branch/execute.js';
export { outputExecutor } from './output/execute.js';
export * from './http/server.js';
export { transformExecutor } from './transform/execute.js';
export { triggerExecutor } from './trigger/execute.js';
export * from './validator/server.js';
export * from './gate/server.js';
export * from './human/server.js';
