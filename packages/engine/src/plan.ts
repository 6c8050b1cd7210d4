// A workflow version made ready to run: nodes in topological order with their edges, parsed configs,
// output ports, executors and the input types the compiler inferred. Built once per version (versions
// are immutable) and shared by every run of it.
import { getKind, registry } from '@sluice/nodes';
import {
  type Classification,
  classificationRank,
  compile,
  type NodeAnalysis,
  type JsonSchema,
  type Retry,
  Spec,
  specToGraph,
  type SpecNode,
  type TriggerConfig,
} from '@sluice/spec';
import { z } from 'zod';
import { EngineError } from './errors.js';
import type { Executor, ExecutorRegistry } from '@sluice/nodes/server';
import type { VersionRecord } from './store.js';

export interface PlanEdge {
  from: string;
  fromPort: string;
  to: string;
  toPort: string;
}

export interface PlanNode {
  id: string;
  kind: string;
  /** Position in `plan.order`. */
  index: number;
  config: unknown;
  /** In spec edge order: `inputs` follow it. */
  incoming: PlanEdge[];
  outgoing: PlanEdge[];
  /** Every output port the node has; a result without `ports` sends data on all of them. */
  ports: string[];
  /** This process's executor of the kind; steps of a known kind without one wait for a worker that has it. */
  executor: Executor | undefined;
  /** Whether the kind is in the node registry (a step of an unknown kind fails at once). */
  known: boolean;
  pure: boolean;
  types: { input?: JsonSchema };
  timeoutMs: number | undefined;
  retry: Retry | undefined;
  isOutput: boolean;
  /** Every gate this node is downstream of: its credentials stay locked until they are approved. */
  gatesUpstream: string[];
  /**
   * Whether the step's data (input, output, wait payload) is `confidential` or above, by its declared
   * label or the labels the compiler computed for what flows in and out: stored encrypted at rest.
   */
  sealed: boolean;
}

export interface ExecutionPlan {
  version: VersionRecord;
  spec: Spec;
  trigger: PlanNode;
  triggerConfig: TriggerConfig;
  /** The run's input is confidential or above (the trigger's label): stored encrypted at rest. */
  sealInput: boolean;
  /** Some output node is sealed: the run's output is stored encrypted at rest. */
  sealOutput: boolean;
  nodes: ReadonlyMap<string, PlanNode>;
  /** Topological order, trigger first. */
  order: readonly PlanNode[];
  outputs: readonly PlanNode[];
  /** Checks a run input against the trigger's input schema. */
  validateInput(input: unknown): { ok: true } | { ok: false; issues: string[] };
}

/**
 * Builds the plan of a version. Throws an {@link EngineError} (`SPEC_INVALID`) for a stored spec that
 * does not parse or has a cycle.
 *
 * @example
 * const plan = buildPlan(await store.loadVersion(id), executors);
 */
export function buildPlan(version: VersionRecord, executors: ExecutorRegistry): ExecutionPlan {
  const parsed = Spec.safeParse(version.spec);
  if (!parsed.success) {
    throw new EngineError('SPEC_INVALID', `workflow version ${version.id} holds an invalid spec`, {
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  }
  const spec = parsed.data;
  const analysis = analyse(spec);
  const nodes = new Map<string, PlanNode>();
  const add = (id: string, kind: string, rawConfig: unknown, options: Partial<SpecNode>): PlanNode => {
    const definition = getKind(kind);
    const config = parseConfig(definition?.configSchema, rawConfig);
    const executor = executors.get(kind);
    const input = analysis?.[id]?.input;
    const node: PlanNode = {
      id,
      kind,
      index: -1,
      config,
      incoming: [],
      outgoing: [],
      ports: portsOf(definition, config),
      executor,
      known: definition !== undefined,
      pure: executor?.pure ?? false,
      types: input ? { input } : {},
      timeoutMs: options.timeoutMs,
      retry: options.retry,
      isOutput: kind === 'output',
      gatesUpstream: [],
      sealed: isSealed(analysis?.[id], options.classification),
    };
    nodes.set(id, node);
    return node;
  };
  const trigger = add(spec.trigger.id, 'trigger', spec.trigger.config, {});
  for (const [id, node] of Object.entries(spec.nodes)) add(id, node.kind, node.config, node);
  for (const edge of spec.edges) {
    const e: PlanEdge = {
      from: edge.from.node,
      fromPort: edge.from.port,
      to: edge.to.node,
      toPort: edge.to.port,
    };
    nodes.get(e.from)?.outgoing.push(e);
    nodes.get(e.to)?.incoming.push(e);
  }
  for (const node of nodes.values()) {
    // A kind unknown to this build: its ports are whatever its edges leave from.
    if (node.ports.length === 0 && !getKind(node.kind)) {
      node.ports = [...new Set(node.outgoing.map((e) => e.fromPort))];
    }
  }
  const order = topologicalOrder(nodes, version.id);
  order.forEach((node, index) => (node.index = index));
  for (const node of order) {
    const gates = new Set<string>();
    for (const edge of node.incoming) {
      const from = nodes.get(edge.from);
      if (!from) continue;
      if (from.kind === 'gate') gates.add(from.id);
      for (const gate of from.gatesUpstream) gates.add(gate);
    }
    node.gatesUpstream = [...gates];
  }
  return {
    version,
    spec,
    trigger,
    triggerConfig: spec.trigger.config,
    sealInput: trigger.sealed,
    sealOutput: order.some((n) => n.isOutput && n.sealed),
    nodes,
    order,
    outputs: order.filter((n) => n.isOutput),
    validateInput: inputValidator(spec.trigger.config.input),
  };
}

const SEALED_FROM = classificationRank('confidential');

function isSealed(analysis: NodeAnalysis | undefined, declared: Classification | undefined): boolean {
  const labels: Classification[] = declared ? [declared] : [];
  if (analysis) {
    labels.push(analysis.classification.input, ...Object.values(analysis.classification.outputs));
  }
  return labels.some((label) => classificationRank(label) >= SEALED_FROM);
}

function analyse(spec: Spec): Record<string, NodeAnalysis> | undefined {
  try {
    return compile(specToGraph(spec), registry).analysis;
  } catch {
    return undefined;
  }
}

function parseConfig(schema: z.ZodType | undefined, raw: unknown): unknown {
  if (!schema) return raw;
  const result = schema.safeParse(raw);
  return result.success ? result.data : raw;
}

function portsOf(definition: ReturnType<typeof getKind>, config: unknown): string[] {
  if (!definition) return [];
  try {
    return definition.outputs(config).map((p) => p.name);
  } catch {
    return [];
  }
}

function topologicalOrder(nodes: Map<string, PlanNode>, versionId: string): PlanNode[] {
  const indegree = new Map<string, number>();
  for (const node of nodes.values()) indegree.set(node.id, node.incoming.length);
  const queue = [...nodes.values()].filter((n) => n.incoming.length === 0);
  const order: PlanNode[] = [];
  while (queue.length > 0) {
    const node = queue.shift();
    if (!node) break;
    order.push(node);
    for (const edge of node.outgoing) {
      const left = (indegree.get(edge.to) ?? 0) - 1;
      indegree.set(edge.to, left);
      const target = nodes.get(edge.to);
      if (left === 0 && target) queue.push(target);
    }
  }
  if (order.length !== nodes.size) {
    throw new EngineError('SPEC_INVALID', `workflow version ${versionId} has a cycle`);
  }
  return order;
}

function inputValidator(schema: JsonSchema): ExecutionPlan['validateInput'] {
  let validator: z.ZodType;
  try {
    // The stored schema is plain JSON; zod reads the JSON Schema keywords it knows.
    const json: Parameters<typeof z.fromJSONSchema>[0] = JSON.parse(JSON.stringify(schema));
    validator = z.fromJSONSchema(json);
  } catch {
    validator = z.record(z.string(), z.unknown());
  }
  return (input) => {
    const result = validator.safeParse(input);
    if (result.success) return { ok: true };
    return {
      ok: false,
      issues: result.error.issues.map(
        (i) => `${i.path.length > 0 ? i.path.join('.') : 'input'}: ${i.message}`,
      ),
    };
  };
}
