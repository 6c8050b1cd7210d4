// Edits of an editor graph, each a pure function returning a new graph that shares every unchanged
// node and edge with the old one (so the incremental compiler and memoised nodes skip them).
import { getKind } from '@sluice/nodes';
import { type Classification, isRecord } from '@sluice/spec';
import type { EditorGraph, GraphEdge, GraphNode } from '../api/contract';
import type { Wire } from './ports';

/** A fresh node id from `base` (the kind) that no node of the graph uses. */
export function freshId(graph: EditorGraph, base: string, taken: Set<string> = new Set()): string {
  const used = new Set([...graph.nodes.map((n) => n.id), ...taken]);
  const stem =
    base
      .replace(/[^A-Za-z0-9_-]/g, '_')
      .replace(/^[^A-Za-z_]/, '_')
      .slice(0, 56) || 'node';
  for (let n = 1; ; n += 1) {
    const id = `${stem}_${n}`;
    if (!used.has(id)) return id;
  }
}

/** The id of the wire between two ports. */
export function wireId(wire: Wire): string {
  return `${wire.source}-${wire.sourceHandle ?? 'out'}-${wire.target}-${wire.targetHandle ?? 'in'}`;
}

/** A node of `kind` with its default config, labelled with the kind's title and owned by the workflow's team. */
export function newNode(
  graph: EditorGraph,
  kind: string,
  position: { x: number; y: number },
  extra: Partial<GraphNode> = {},
): GraphNode {
  const def = getKind(kind);
  return {
    id: freshId(graph, kind),
    kind,
    typeVersion: def?.typeVersion ?? 1,
    label: def?.title ?? kind,
    owner: graph.metadata.ownerTeam,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    config: isRecord(def?.defaultConfig) ? structuredClone(def.defaultConfig) : {},
    ...extra,
  };
}

export function addNode(graph: EditorGraph, node: GraphNode): EditorGraph {
  return { ...graph, nodes: [...graph.nodes, node] };
}

export function connect(graph: EditorGraph, wire: Wire): EditorGraph {
  const edge: GraphEdge = {
    id: wireId(wire),
    source: wire.source,
    sourceHandle: wire.sourceHandle ?? null,
    target: wire.target,
    targetHandle: wire.targetHandle ?? null,
  };
  if (graph.edges.some((e) => e.id === edge.id)) return graph;
  return { ...graph, edges: [...graph.edges, edge] };
}

/** Removes nodes (with their wires) and wires. */
export function remove(graph: EditorGraph, nodeIds: ReadonlySet<string>, edgeIds: ReadonlySet<string>) {
  if (nodeIds.size === 0 && edgeIds.size === 0) return graph;
  return {
    ...graph,
    nodes: graph.nodes.filter((n) => !nodeIds.has(n.id)),
    edges: graph.edges.filter((e) => !edgeIds.has(e.id) && !nodeIds.has(e.source) && !nodeIds.has(e.target)),
  };
}

/** Moves nodes to new positions; nodes not named keep their objects. */
export function moveNodes(graph: EditorGraph, positions: ReadonlyMap<string, { x: number; y: number }>) {
  if (positions.size === 0) return graph;
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const p = positions.get(n.id);
      return p && (p.x !== n.position.x || p.y !== n.position.y) ? { ...n, position: { x: p.x, y: p.y } } : n;
    }),
  };
}

/** Replaces one node by `update(node)`. */
export function updateNode(graph: EditorGraph, id: string, update: (node: GraphNode) => GraphNode) {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? update(n) : n)) };
}

/** What was copied: nodes and the wires between them. */
export interface Clipboard {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The selected nodes and the wires among them. */
export function copy(graph: EditorGraph, nodeIds: ReadonlySet<string>): Clipboard {
  return {
    nodes: graph.nodes.filter((n) => nodeIds.has(n.id)),
    edges: graph.edges.filter((e) => nodeIds.has(e.source) && nodeIds.has(e.target)),
  };
}

/**
 * Pastes copies with fresh ids, shifted by `offset`, and their inner wires; returns the new graph
 * and the ids of the pasted nodes (to select them).
 */
export function paste(graph: EditorGraph, clip: Clipboard, offset = { x: 40, y: 40 }) {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const node of clip.nodes) {
    const id = freshId(graph, node.kind, taken);
    taken.add(id);
    ids.set(node.id, id);
  }
  const nodes = clip.nodes.map((n) => ({
    ...structuredClone(n),
    id: ids.get(n.id) ?? n.id,
    position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
  }));
  let next: EditorGraph = { ...graph, nodes: [...graph.nodes, ...nodes] };
  for (const e of clip.edges) {
    const source = ids.get(e.source);
    const target = ids.get(e.target);
    if (source && target)
      next = connect(next, { source, target, sourceHandle: e.sourceHandle, targetHandle: e.targetHandle });
  }
  return { graph: next, pasted: [...ids.values()] };
}

/**
 * Puts a new node into a wire: source → node → target, the node placed between the two ends.
 * Returns the graph and the new node's id.
 */
export function insertOnEdge(
  graph: EditorGraph,
  edgeId: string,
  kind: string,
  config: Record<string, unknown>,
  label: string,
) {
  const edge = graph.edges.find((e) => e.id === edgeId);
  const source = graph.nodes.find((n) => n.id === edge?.source);
  const target = graph.nodes.find((n) => n.id === edge?.target);
  if (!edge || !source || !target) return null;
  const node = newNode(
    graph,
    kind,
    { x: (source.position.x + target.position.x) / 2, y: (source.position.y + target.position.y) / 2 + 60 },
    { label, owner: target.owner || graph.metadata.ownerTeam },
  );
  node.config = { ...node.config, ...config };
  let next = remove(addNode(graph, node), new Set(), new Set([edge.id]));
  next = connect(next, {
    source: source.id,
    sourceHandle: edge.sourceHandle,
    target: node.id,
    targetHandle: 'in',
  });
  const out = kind === 'gate' ? 'approved' : 'out';
  next = connect(next, {
    source: node.id,
    sourceHandle: out,
    target: target.id,
    targetHandle: edge.targetHandle,
  });
  return { graph: next, nodeId: node.id };
}

/** Reads a dot path (`approvers.roles`, `tiers.0.when`) of a value. */
export function getAt(value: unknown, key: string): unknown {
  let current: unknown = value;
  for (const part of key.split('.')) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isRecord(current)) current = Object.hasOwn(current, part) ? current[part] : undefined;
    else return undefined;
  }
  return current;
}

function setIn(container: unknown, parts: readonly string[], value: unknown): unknown {
  const [head, ...rest] = parts;
  if (head === undefined) return value;
  if (Array.isArray(container) && /^\d+$/.test(head)) {
    const copy: unknown[] = [...container];
    copy[Number(head)] = setIn(copy[Number(head)], rest, value);
    return copy;
  }
  const copy: Record<string, unknown> = isRecord(container) ? { ...container } : {};
  const next = setIn(copy[head], rest, value);
  if (next === undefined) delete copy[head];
  else copy[head] = next;
  return copy;
}

/** A copy of `root` with the dot path `key` set to `value` (removed when undefined). */
export function setAt(root: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const next = setIn(root, key.split('.'), value);
  return isRecord(next) ? next : root;
}

/** The labels a classification picker offers. */
export const CLASSIFICATIONS: readonly Classification[] = [
  'public',
  'internal',
  'confidential',
  'restricted',
];
