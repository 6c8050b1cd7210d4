import { MarkerType } from '@xyflow/react';
import type { Edge, Node } from '@xyflow/react';
import type { Classification, EditorGraph } from '../../api/contract';

/** A classification, or `unclassified` where the node declares none. */
export type ClassificationLevel = Classification | 'unclassified';

/**
 * A port of a node; `null` is the node's only, unnamed port (an edge without a handle).
 * It is listed first so that React Flow, which attaches a handle-less edge to a node's first
 * handle, draws such edges to it.
 */
export type Port = string | null;

/** What the canvas node component draws. A type alias, so it satisfies React Flow's `Record<string, unknown>`. */
export type WorkflowNodeData = {
  kind: string;
  label: string;
  owner: string;
  classification: ClassificationLevel;
  /** Input ports, each a target handle on the left. */
  inputs: Port[];
  /** Output ports, each a source handle on the right. */
  outputs: Port[];
};

export type WorkflowFlowNode = Node<WorkflowNodeData, 'workflow'>;
export type WorkflowFlowEdge = Edge<{ classification: ClassificationLevel }>;

/** The accessible name of a port handle, e.g. `output port approved of gate Refund`. */
export function portName(direction: 'input' | 'output', port: Port, kind: string, label: string): string {
  return port === null
    ? `${direction} port of ${kind} ${label}`
    : `${direction} port ${port} of ${kind} ${label}`;
}

/** The accessible name of a node, e.g. `gate node Refund`. */
export function nodeName(kind: string, label: string): string {
  return `${kind} node ${label}`;
}

function addPort(ports: Port[] | undefined, port: Port): void {
  if (!ports || ports.includes(port)) return;
  if (port === null) ports.unshift(port);
  else ports.push(port);
}

/**
 * Turns an editor graph into React Flow nodes and edges for a read-only canvas. Ports are
 * taken from the edges, in the order edges first mention them (until node kinds declare
 * them); an edge whose source or target is not in the graph is left out, since there is
 * nothing to draw it to.
 *
 * @example
 * const { nodes, edges } = toFlow(workflow.graph);
 */
export function toFlow(graph: EditorGraph): { nodes: WorkflowFlowNode[]; edges: WorkflowFlowEdge[] } {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const ports = new Map<string, { inputs: Port[]; outputs: Port[] }>();
  for (const node of graph.nodes) ports.set(node.id, { inputs: [], outputs: [] });

  const edges: WorkflowFlowEdge[] = [];
  for (const edge of graph.edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target) continue;
    const sourceHandle = edge.sourceHandle ?? null;
    const targetHandle = edge.targetHandle ?? null;
    addPort(ports.get(source.id)?.outputs, sourceHandle);
    addPort(ports.get(target.id)?.inputs, targetHandle);
    const classification = source.classification ?? 'unclassified';
    edges.push({
      id: edge.id,
      source: source.id,
      sourceHandle,
      target: target.id,
      targetHandle,
      className: `sl-edge sl-edge--${classification}`,
      markerEnd: {
        type: MarkerType.ArrowClosed,
        color: `var(--sl-cls-${classification})`,
        width: 14,
        height: 14,
      },
      ariaLabel: `${classification} data from ${source.label} to ${target.label}`,
      data: { classification },
    });
  }

  const nodes = graph.nodes.map((node): WorkflowFlowNode => ({
    id: node.id,
    type: 'workflow',
    position: node.position,
    data: {
      kind: node.kind,
      label: node.label,
      owner: node.owner,
      classification: node.classification ?? 'unclassified',
      inputs: ports.get(node.id)?.inputs ?? [],
      outputs: ports.get(node.id)?.outputs ?? [],
    },
  }));
  return { nodes, edges };
}
