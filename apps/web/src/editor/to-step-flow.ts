// Editor graph + compile result → React Flow nodes and edges. A mapper keeps each node's flow object
// while its graph node, problems, label and selection are unchanged, so React Flow (and the memoised
// step component) re-render only what an edit touched: this is what keeps 1,000 nodes smooth. When no
// wire changed it hands back the same edges array, so React Flow skips its edge bookkeeping.
import { MarkerType } from '@xyflow/react';
import type { Edge } from '@xyflow/react';
import type { CompileResult, Diagnostic } from '@sluice/spec';
import type { EditorGraph, GraphEdge, GraphNode } from '../api/contract';
import type { ClassificationLevel } from '../workflows/canvas/to-flow';
import { portsOf } from './ports';
import type { DiffMark, StepFlowNode } from './step-node';

export type StepFlowEdge = Edge<{ classification: ClassificationLevel }>;

interface Problems {
  errors: number;
  warnings: number;
  first?: string;
}

/** Diagnostics counted per node id and per edge id. */
export function problemsByTarget(diagnostics: readonly Diagnostic[]) {
  const nodes = new Map<string, Problems>();
  const edges = new Map<string, Problems>();
  const add = (map: Map<string, Problems>, id: string, d: Diagnostic) => {
    const p = map.get(id) ?? { errors: 0, warnings: 0 };
    if (d.severity === 'error') p.errors += 1;
    else if (d.severity === 'warning') p.warnings += 1;
    p.first ??= d.message;
    map.set(id, p);
  };
  for (const d of diagnostics) {
    if (d.edgeId) add(edges, d.edgeId, d);
    else if (d.nodeId) add(nodes, d.nodeId, d);
  }
  return { nodes, edges };
}

interface Options {
  selectedNodes: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  diff?: ReadonlyMap<string, DiffMark>;
  readOnly?: boolean;
}

interface Cached {
  node: GraphNode;
  key: string;
  flow: StepFlowNode;
}

function nodeLabel(result: CompileResult | null, node: GraphNode): ClassificationLevel {
  const flow = result?.analysis[node.id]?.classification;
  if (!flow) return node.classification ?? 'unclassified';
  const labels = Object.values(flow.outputs);
  return labels[0] ?? flow.input;
}

/**
 * A mapper from graphs to flow elements that reuses unchanged node objects between calls.
 *
 * @example
 * const toFlow = createStepMapper();
 * const { nodes, edges } = toFlow(graph, result, { selectedNodes, selectedEdges });
 */
export function createStepMapper() {
  let cache = new Map<string, Cached>();
  let edgeCache = new Map<string, { edge: GraphEdge; key: string; flow: StepFlowEdge }>();
  let lastEdges: StepFlowEdge[] = [];
  return (graph: EditorGraph, result: CompileResult | null, options: Options) => {
    const problems = problemsByTarget(result?.diagnostics ?? []);
    const next = new Map<string, Cached>();
    const nodes = graph.nodes.map((node): StepFlowNode => {
      const p = problems.nodes.get(node.id);
      const classification = nodeLabel(result, node);
      const selected = options.selectedNodes.has(node.id);
      const diff = options.diff?.get(node.id);
      const key = `${p?.errors ?? 0}|${p?.warnings ?? 0}|${p?.first ?? ''}|${classification}|${selected}|${diff ?? ''}`;
      const hit = cache.get(node.id);
      if (hit && hit.node === node && hit.key === key) {
        next.set(node.id, hit);
        return hit.flow;
      }
      const ports = portsOf(node);
      const flow: StepFlowNode = {
        id: node.id,
        type: 'step',
        position: node.position,
        selected,
        data: {
          node,
          inputs: ports.inputs,
          outputs: ports.outputs,
          classification,
          errors: p?.errors ?? 0,
          warnings: p?.warnings ?? 0,
          ...(p?.first ? { problem: p.first } : {}),
          ...(diff ? { diff } : {}),
          ...(options.readOnly ? { readOnly: true } : {}),
        },
      };
      next.set(node.id, { node, key, flow });
      return flow;
    });
    cache = next;
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const edges: StepFlowEdge[] = [];
    const nextEdges = new Map<string, { edge: GraphEdge; key: string; flow: StepFlowEdge }>();
    for (const edge of graph.edges) {
      const source = byId.get(edge.source);
      const target = byId.get(edge.target);
      if (!source || !target) continue;
      const classification: ClassificationLevel =
        result?.analysis[source.id]?.classification.outputs[edge.sourceHandle ?? 'out'] ??
        source.classification ??
        'unclassified';
      const p = problems.edges.get(edge.id);
      const diff = options.diff?.get(`edge:${edge.id}`);
      const selected = options.selectedEdges.has(edge.id);
      // Moving a node does not change its wires' objects: React Flow re-renders only what changed.
      const key = `${classification}|${p?.errors ?? 0}|${p?.warnings ?? 0}|${p?.first ?? ''}|${diff ?? ''}|${selected}|${source.label}|${target.label}`;
      const hit = edgeCache.get(edge.id);
      if (hit && hit.edge === edge && hit.key === key) {
        nextEdges.set(edge.id, hit);
        edges.push(hit.flow);
        continue;
      }
      const state = p ? (p.errors > 0 ? ' sl-edge--error' : ' sl-edge--warning') : '';
      const flow: StepFlowEdge = {
        id: edge.id,
        source: source.id,
        sourceHandle: edge.sourceHandle ?? null,
        target: target.id,
        targetHandle: edge.targetHandle ?? null,
        selected,
        className: `sl-edge sl-edge--${classification}${state}${diff ? ` sl-edge--diff-${diff}` : ''}`,
        markerEnd: {
          type: MarkerType.ArrowClosed,
          color: `var(--sl-cls-${classification})`,
          width: 14,
          height: 14,
        },
        ariaLabel: `${classification} data from ${source.label} to ${target.label}${p ? `: ${p.first ?? ''}` : ''}`,
        data: { classification },
        ...(options.readOnly ? { selectable: false, focusable: false } : {}),
      };
      nextEdges.set(edge.id, { edge, key, flow });
      edges.push(flow);
    }
    edgeCache = nextEdges;
    const same = edges.length === lastEdges.length && edges.every((edge, i) => edge === lastEdges[i]);
    if (!same) lastEdges = edges;
    return { nodes, edges: lastEdges };
  };
}
