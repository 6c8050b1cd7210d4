import { z } from 'zod';
import { Classification } from './classification.js';
import type { Diagnostic, PathSegment } from './diagnostics.js';
import { PortName } from './ids.js';
import { Role, UserRef } from './roles.js';
import type { InspectorField } from './inspector.js';
import { JsonSchema } from './json-schema.js';

/**
 * A port of a node kind: its name (the edge handle), a label, and the JSON Schema of the data it
 * carries. A `passthrough` output carries whatever arrived on the node's input (its schema is
 * resolved by the compiler from upstream types).
 */
export const Port = z.object({
  name: PortName,
  label: z.string(),
  schema: JsonSchema,
  passthrough: z.boolean().optional(),
  description: z.string().optional(),
});
export type Port = z.infer<typeof Port>;

/** What an expression must produce: a boolean, any value, or text with `{{ }}` parts. */
export const ExpressionMode = z.enum(['condition', 'value', 'template']);
export type ExpressionMode = z.infer<typeof ExpressionMode>;

/**
 * Where a kind's config holds CEL: the path (from the node, e.g. `['config', 'tiers', 0, 'when']`),
 * the source and what it must produce. `compensation` expressions also see the step's `output`.
 */
export const ExpressionSite = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  source: z.string(),
  mode: ExpressionMode,
  scope: z.enum(['step', 'compensation']).optional(),
});
export type ExpressionSite = z.infer<typeof ExpressionSite>;

/**
 * Workspace policy the compiler applies: hosts inside the trust boundary, and the highest label the
 * workspace lets leave it (to external model providers and untrusted hosts). Default: `public` only.
 *
 * @example
 * CompilePolicy.parse({ trustedHosts: ['erp.internal'], externalClearance: 'internal' });
 */
export const CompilePolicy = z.object({
  trustedHosts: z.array(z.string()).default([]),
  externalClearance: Classification.default('public'),
});
export type CompilePolicy = z.infer<typeof CompilePolicy>;

/**
 * Where people step in at a node: the approvers of a gate (`approval`, which also makes the node a
 * gate for the egress policy) or the assignees of a human task (`task`).
 */
export const HumanStep = z.object({
  type: z.enum(['approval', 'task']),
  roles: z.array(Role),
  users: z.array(UserRef),
  quorum: z.number().int().min(1),
});
export type HumanStep = z.infer<typeof HumanStep>;

/** A node as a kind's checks see it: its identity and its parsed config. */
export interface NodeView<C> {
  id: string;
  label: string;
  owner: string;
  config: C;
  classification?: Classification;
  clearance?: Classification;
}

export interface CheckContext {
  policy: CompilePolicy;
}

/** Types known when a kind computes its outputs during compilation. */
export interface PortTypeContext {
  /** The joined schema of what arrives on the node's input. */
  input: JsonSchema;
  /** The inferred result type of the expression at `path`, when it type-checked. */
  typeOf(path: readonly PathSegment[]): JsonSchema | undefined;
}

/**
 * How a kind takes part in the classification flow. `egress` says data leaves the trust boundary at
 * this node (so its default clearance is the workspace's `externalClearance`); `emits` may lower the
 * label on a port (a redacting validator, a declassifying gate) and defaults to the input's label.
 */
export interface ClassificationBehaviour<C> {
  egress(config: C, policy: CompilePolicy): boolean;
  emits?(config: C, input: Classification, port: string): Classification;
  /** The label a source node (the trigger) emits when the node sets none. */
  sourceLabel?: Classification;
}

/**
 * Everything the compiler and the editor know about one node kind. Methods (not function-valued
 * properties) keep definitions of different config types assignable to `NodeDefinition`.
 */
export interface NodeDefinition<C = unknown> {
  readonly kind: string;
  readonly typeVersion: number;
  readonly title: string;
  readonly description: string;
  readonly category: 'trigger' | 'ai' | 'safety' | 'logic' | 'integration' | 'human' | 'output';
  readonly configSchema: z.ZodType<C>;
  readonly defaultConfig: C;
  readonly fields: readonly InspectorField[];
  readonly classification: ClassificationBehaviour<C>;
  /**
   * Set when `outputs` uses the `types` argument (its output types depend on its expressions): the
   * compiler then calls it again once the expressions are checked. Otherwise the ports computed from
   * the config alone are used.
   */
  readonly infersOutputs?: boolean;
  /** `upgrades[n]` turns a config of typeVersion `n` into one of `n + 1`. */
  readonly upgrades?: Readonly<Record<number, (config: Record<string, unknown>) => Record<string, unknown>>>;
  inputs(config: C): Port[];
  outputs(config: C, types?: PortTypeContext): Port[];
  expressions(config: C): ExpressionSite[];
  checks(node: NodeView<C>, ctx: CheckContext): Diagnostic[];
  /** Where people step in at this node, if they do. */
  humans?(config: C): HumanStep | undefined;
}

/** The compiler's view of the node registry: one definition per kind. */
export type NodeRegistry = readonly NodeDefinition[];
