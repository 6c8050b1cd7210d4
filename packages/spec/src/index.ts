// @sluice/spec: the sluice/v1 spec, the editor graph, the CEL expression environment and the compiler.
// Pure and browser-safe: zod and CEL only (DESIGN §2).

export { canonicalJson } from './canonical-json.js';
export {
  canFlow,
  Classification,
  classificationRank,
  joinAll,
  joinClassification,
  meetClassification,
} from './classification.js';
export { compileDocument } from './compiler/compile-document.js';
export {
  compile,
  type CompileCallOptions,
  type Compiler,
  type CompilerOptions,
  type CompileResult,
  createCompiler,
  type NodeAnalysis,
} from './compiler/compile.js';
export { GRAPH_LIMITS } from './compiler/parse-graph.js';
export {
  ALL_DIAGNOSTIC_CODES,
  DIAGNOSTIC_CODES,
  type DiagnosticCode,
  isDiagnosticCode,
} from './diagnostic-codes.js';
export {
  Diagnostic,
  diagnostic,
  type DiagnosticLocation,
  formatPath,
  hasErrors,
  PathSegment,
  Severity,
  SourceRange,
} from './diagnostics.js';
export { formatDiagnostic, formatDiagnostics, type FormatOptions, summarizeDiagnostics } from './format.js';
export { EditorGraph, GRAPH_VERSION, GraphEdge, GraphNode, Position } from './graph.js';
export { isRecord } from './guards.js';
export { CredentialRef, NODE_ID_PATTERN, NodeId, PORT_NAME_PATTERN, PortName, TeamName } from './ids.js';
export { FieldEditor, FieldOption, InspectorField } from './inspector.js';
export {
  ANY_SCHEMA,
  isAnySchema,
  JsonSchema,
  JsonSchemaType,
  ObjectJsonSchema,
  singleType,
} from './json-schema.js';
export { WorkflowMetadata } from './metadata.js';
export {
  type CheckContext,
  type ClassificationBehaviour,
  CompilePolicy,
  ExpressionMode,
  ExpressionSite,
  HumanStep,
  type NodeDefinition,
  type NodeRegistry,
  type NodeView,
  Port,
  type PortTypeContext,
} from './node-definition.js';
export { OwnershipEntry } from './ownership.js';
export { Access, Role, RoleList, UserRef } from './roles.js';
export { joinSchemas, schemaMismatch, type SchemaMismatch } from './schema-compat.js';
export { type Sha256, sha256Hex, specHash } from './sha256.js';
export { edgeId, specToGraph } from './spec-to-graph.js';
export { PortRef, Spec, SPEC_VERSION, SpecEdge, SpecNode, SpecTrigger } from './spec.js';
export { Compensation, MAX_TIMEOUT_MS, Retry, TimeoutMs } from './step-options.js';
export { DEFAULT_TRIGGER_INPUT, TriggerConfig } from './trigger.js';
export { SPEC_UPGRADES, type SpecUpgradeStep, upgradeSpec, type UpgradeResult } from './upgrade.js';
export {
  type BuiltinKind,
  type KindConfigs,
  SpecBuildError,
  type StepOptions,
  workflow,
  WorkflowBuilder,
} from './builder.js';

// Expressions (CEL).
export { analyzeAst, type AstAnalysis, type AstIssue } from './expressions/analyze.js';
export { celTypeToSchema, planCelTypes } from './expressions/cel-types.js';
export {
  checkExpression,
  type CheckExpressionOptions,
  type ExpressionCheck,
  type ExpressionProblem,
} from './expressions/check.js';
export { EXPRESSION_VARIABLES, type ExpressionTypes } from './expressions/environment.js';
export {
  evaluateExpression,
  type EvaluateOptions,
  type EvaluateResult,
  type ExpressionScope,
  renderTemplate,
} from './expressions/evaluate.js';
export { Finding } from './expressions/finding.js';
export { NO_RUN, RunMetadata } from './expressions/run-metadata.js';
export { DEFAULT_EXPRESSION_LIMITS, ExpressionLimits, resolveLimits } from './expressions/limits.js';
export { regexRisk } from './expressions/regex-safety.js';
export { parseTemplate, type TemplatePart, templateExpressions } from './expressions/template.js';
export { JsonValue } from './expressions/values.js';

// Run events (the engine's log, shared with the web app).
export {
  ErrorInfo,
  EventEnvelope,
  isTerminalRunEvent,
  LogLevel,
  RunEvent,
  RunEventDraft,
  type RunEventType,
  SettledStep,
  TERMINAL_RUN_EVENTS,
} from './events.js';
