// @sluice/nodes, browser-safe entry: every node kind's config schema, ports, inspector fields and
// compile checks, and the registry. Executors live behind `@sluice/nodes/server`.

export { AiConfig, AiProvider } from './ai/config.js';
export { aiNode } from './ai/definition.js';
export { BranchCase, BranchConfig, branchNode } from './branch/definition.js';
export { createRegistry, type DefinedNode, defineNode } from './define.js';
export { Approvers, GateConfig, Tier, TierRule } from './gate/config.js';
export { gateNode } from './gate/definition.js';
export { HttpConfig, HttpMethod, HttpRequest } from './http/config.js';
export { httpNode } from './http/definition.js';
export { HumanConfig, humanNode } from './human/definition.js';
export { OutputConfig, outputNode } from './output/definition.js';
export {
  getKind,
  isNodeKind,
  type KindDefinition,
  type NodeConfigInputs,
  type NodeConfigs,
  type NodeKind,
  registry,
} from './registry.js';
export { cronProblem } from './shared/cron.js';
export { AllowedHost, hostAllowed, isLoopback, staticHost } from './shared/hosts.js';
export { CelExpression, FieldName, Mapping, Template } from './shared/schemas.js';
export { SubflowConfig, subflowNode } from './subflow/definition.js';
export { TransformConfig, transformNode } from './transform/definition.js';
export { triggerNode } from './trigger/definition.js';
export { Detector, ValidatorConfig, ValidatorRule } from './validator/config.js';
export { validatorNode } from './validator/definition.js';
