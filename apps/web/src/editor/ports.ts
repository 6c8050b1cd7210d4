// The ports of each node, from its kind's declaration in the node registry, and whether a wire between
// two ports may be drawn (and if not, why not).
import { getKind } from '@sluice/nodes';
import { type CompileResult, type JsonSchema, type Port, schemaMismatch } from '@sluice/spec';
import type { EditorGraph, GraphNode } from '../api/contract';

/** A node's input and output ports. */
export interface NodePorts {
  inputs: Port[];
  outputs: Port[];
}

const cache = new WeakMap<GraphNode, NodePorts>();
const NONE: NodePorts = { inputs: [], outputs: [] };

/**
 * The ports a node's kind declares for its config. While a config does not parse (mid-edit), the
 * kind's ports for its default config are shown, so the wires stay attached.
 */
export function portsOf(node: GraphNode): NodePorts {
  const hit = cache.get(node);
  if (hit) return hit;
  const def = getKind(node.kind);
  let ports = NONE;
  if (def) {
    const parsed = def.configSchema.safeParse(node.config);
    const config = parsed.success ? parsed.data : def.defaultConfig;
    try {
      ports = { inputs: def.inputs(config), outputs: def.outputs(config) };
    } catch {
      ports = { inputs: def.inputs(def.defaultConfig), outputs: def.outputs(def.defaultConfig) };
    }
  }
  cache.set(node, ports);
  return ports;
}

/** A wire being drawn: React Flow's `Connection`. */
export interface Wire {
  source: string;
  sourceHandle?: string | null;
  target: string;
  targetHandle?: string | null;
}

function reaches(graph: EditorGraph, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const edge of graph.edges) next.set(edge.source, [...(next.get(edge.source) ?? []), edge.target]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop();
    if (id === undefined || seen.has(id)) continue;
    if (id === to) return true;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return false;
}

/**
 * Why `wire` may not be drawn, or null when it may: unknown nodes or ports, a node wired to itself, a
 * second wire between the same ports, a cycle, or data the target port does not accept (checked with
 * the compiler's inferred output type when there is one).
 *
 * @example
 * connectionProblem(graph, { source: 'review', sourceHandle: 'approved', target: 'draft', targetHandle: 'in' })
 * // 'this wire would make a loop: ...'
 */
export function connectionProblem(
  graph: EditorGraph,
  wire: Wire,
  analysis: CompileResult['analysis'] = {},
): string | null {
  const source = graph.nodes.find((n) => n.id === wire.source);
  const target = graph.nodes.find((n) => n.id === wire.target);
  if (!source || !target) return 'one end of this wire is not on the canvas';
  if (source.id === target.id) return `"${source.label}" cannot feed itself`;
  const output = portsOf(source).outputs.find((p) => p.name === wire.sourceHandle);
  const input = portsOf(target).inputs.find((p) => p.name === wire.targetHandle);
  if (!output) return `"${source.label}" has no output port "${wire.sourceHandle ?? ''}"`;
  if (!input) return `"${target.label}" has no input port "${wire.targetHandle ?? ''}"`;
  const duplicate = graph.edges.some(
    (e) =>
      e.source === source.id &&
      e.target === target.id &&
      (e.sourceHandle ?? null) === output.name &&
      (e.targetHandle ?? null) === input.name,
  );
  if (duplicate) return `"${source.label}" is already wired to "${target.label}" this way`;
  if (reaches(graph, target.id, source.id))
    return `this wire would make a loop: "${target.label}" already leads to "${source.label}", and workflows run forward only`;
  const produced: JsonSchema = analysis[source.id]?.outputs[output.name] ?? output.schema;
  const mismatch = schemaMismatch(produced, input.schema);
  if (mismatch) {
    const where = mismatch.path === '' ? '' : ` at ${mismatch.path}`;
    return `${output.label} of "${source.label}" does not fit ${input.label} of "${target.label}"${where}: ${mismatch.message}`;
  }
  return null;
}
