import { type EditorGraph, GRAPH_VERSION, type GraphEdge, type GraphNode } from './graph.js';
import type { Spec, SpecEdge } from './spec.js';

const COLUMN_WIDTH = 300;
const ROW_HEIGHT = 160;

/** The edge id the editor uses for a spec edge: `from.port->to.port`, readable in diagnostics. */
export function edgeId(edge: SpecEdge): string {
  return `${edge.from.node}.${edge.from.port}->${edge.to.node}.${edge.to.port}`;
}

/**
 * Lays out a spec as an editor graph: the trigger first, each node in the column of its longest
 * path from the trigger, rows in spec order. Compiling the result gives back the same spec.
 *
 * @example
 * compile(specToGraph(spec), registry).spec; // deep-equals spec
 */
export function specToGraph(spec: Spec): EditorGraph {
  const depth = columns(spec);
  const rows = new Map<number, number>();
  const place = (id: string): { x: number; y: number } => {
    const column = depth.get(id) ?? 0;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    return { x: column * COLUMN_WIDTH, y: row * ROW_HEIGHT };
  };
  const t = spec.trigger;
  const trigger: GraphNode = {
    id: t.id,
    kind: 'trigger',
    typeVersion: t.typeVersion,
    label: t.label,
    owner: t.owner,
    position: place(t.id),
    config: { ...t.config },
  };
  if (t.description !== undefined) trigger.description = t.description;
  if (t.classification !== undefined) trigger.classification = t.classification;
  const nodes: GraphNode[] = [trigger];
  for (const [id, node] of Object.entries(spec.nodes)) {
    const { kind, typeVersion, label, owner, config, ...options } = node;
    nodes.push({
      id,
      kind,
      typeVersion,
      label,
      owner,
      position: place(id),
      config: { ...config },
      ...options,
    });
  }
  const edges: GraphEdge[] = spec.edges.map((edge) => ({
    id: edgeId(edge),
    source: edge.from.node,
    sourceHandle: edge.from.port,
    target: edge.to.node,
    targetHandle: edge.to.port,
  }));
  const metadata: EditorGraph['metadata'] = {
    name: spec.metadata.name,
    description: spec.metadata.description,
    ownerTeam: spec.metadata.ownerTeam,
  };
  if (spec.metadata.version !== undefined) metadata.version = spec.metadata.version;
  return { graphVersion: GRAPH_VERSION, metadata, access: structuredClone(spec.access), nodes, edges };
}

/** Longest-path column of each node from the trigger (nodes on cycles stay in column 0). */
function columns(spec: Spec): Map<string, number> {
  const outgoing = new Map<string, string[]>();
  const indegree = new Map<string, number>([[spec.trigger.id, 0]]);
  for (const id of Object.keys(spec.nodes)) indegree.set(id, 0);
  for (const edge of spec.edges) {
    const list = outgoing.get(edge.from.node) ?? [];
    list.push(edge.to.node);
    outgoing.set(edge.from.node, list);
    indegree.set(edge.to.node, (indegree.get(edge.to.node) ?? 0) + 1);
  }
  const depth = new Map<string, number>();
  const queue = [...indegree].filter(([, d]) => d === 0).map(([id]) => id);
  for (const id of queue) depth.set(id, 0);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    if (id === undefined) break;
    for (const next of outgoing.get(id) ?? []) {
      depth.set(next, Math.max(depth.get(next) ?? 0, (depth.get(id) ?? 0) + 1));
      const left = (indegree.get(next) ?? 0) - 1;
      indegree.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  return depth;
}
