// What changed between two editor graphs: nodes by id, edges by id, and the workflow's own fields.
import { canonicalJson, type EditorGraph, type GraphEdge, type GraphNode } from '@sluice/spec';

export interface ChangedNode {
  id: string;
  /** Top-level node fields whose value differs (`config`, `label`, `position`…). */
  fields: string[];
}

export interface ChangedEdge {
  id: string;
  fields: string[];
}

export interface GraphDiff {
  nodes: { added: string[]; removed: string[]; changed: ChangedNode[] };
  edges: { added: string[]; removed: string[]; changed: ChangedEdge[] };
  /** `metadata.<field>` and `access.<field>` entries that differ. */
  workflow: string[];
}

function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  ignore: string[] = [],
) {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => !ignore.includes(key))
    .filter((key) => canonicalJson(before[key] ?? null) !== canonicalJson(after[key] ?? null))
    .sort();
}

function diffById<T extends { id: string }>(before: readonly T[], after: readonly T[]) {
  const old = new Map(before.map((item) => [item.id, item]));
  const now = new Map(after.map((item) => [item.id, item]));
  const added = [...now.keys()].filter((id) => !old.has(id)).sort();
  const removed = [...old.keys()].filter((id) => !now.has(id)).sort();
  const pairs = [...now.entries()].flatMap(([id, item]) => {
    const previous = old.get(id);
    return previous ? [{ id, before: previous, after: item }] : [];
  });
  return { added, removed, pairs };
}

const asRecord = (value: GraphNode | GraphEdge): Record<string, unknown> => ({ ...value });

/**
 * Compares two graphs. Moving a node on the canvas counts as a change of `position`.
 *
 * @example
 * diffGraphs(v1.graph, v2.graph).nodes.changed // [{ id: 'classify', fields: ['config'] }]
 */
export function diffGraphs(before: EditorGraph, after: EditorGraph): GraphDiff {
  const nodes = diffById(before.nodes, after.nodes);
  const edges = diffById(before.edges, after.edges);
  const workflow = [
    ...changedFields({ ...before.metadata }, { ...after.metadata }, ['version']).map((f) => `metadata.${f}`),
    ...changedFields({ ...before.access }, { ...after.access }).map((f) => `access.${f}`),
  ];
  return {
    nodes: {
      added: nodes.added,
      removed: nodes.removed,
      changed: nodes.pairs
        .map(({ id, before: b, after: a }) => ({ id, fields: changedFields(asRecord(b), asRecord(a)) }))
        .filter((change) => change.fields.length > 0)
        .sort((x, y) => (x.id < y.id ? -1 : 1)),
    },
    edges: {
      added: edges.added,
      removed: edges.removed,
      changed: edges.pairs
        .map(({ id, before: b, after: a }) => ({ id, fields: changedFields(asRecord(b), asRecord(a)) }))
        .filter((change) => change.fields.length > 0)
        .sort((x, y) => (x.id < y.id ? -1 : 1)),
    },
    workflow,
  };
}

/** The graph with the published version number left out: what "the same design" means. */
export function designOf(graph: EditorGraph): string {
  const { version: _version, ...metadata } = graph.metadata;
  return canonicalJson({ ...graph, metadata });
}
