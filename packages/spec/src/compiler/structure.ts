import { type Diagnostic, diagnostic } from '../diagnostics.js';
import type { GraphEdge } from '../graph.js';
import { reachableFrom, reportCycles, topologicalOrder } from './graph-order.js';
import type { NodeLocal } from './node-local.js';

/** An edge whose ends exist, with its handles resolved to port names and its ends to node indices. */
export interface Wire {
  id: string;
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
  from: number;
  to: number;
}

/**
 * The graph as the later passes walk it: nodes by index (document order, first of duplicate ids),
 * wires in and out of each node, and the topological order of the acyclic part.
 */
export interface Structure {
  locals: NodeLocal[];
  index: Map<string, number>;
  wires: Wire[];
  incoming: Wire[][];
  outgoing: Wire[][];
  /** Acyclic nodes in topological order (document order breaks ties). */
  order: number[];
  /** Index of the trigger, -1 when there is none. */
  trigger: number;
  reachable: Uint8Array;
  diagnostics: Diagnostic[];
}

/**
 * The structural pass: duplicate ids, dangling edges, unknown ports, duplicate edges, trigger and
 * output presence, cycles, reachability, dead ends and unconnected inputs.
 */
export function analyzeStructure(all: readonly NodeLocal[], edges: readonly GraphEdge[]): Structure {
  const diags: Diagnostic[] = [];
  const locals: NodeLocal[] = [];
  const index = new Map<string, number>();
  for (const local of all) {
    const id = local.node.id;
    if (index.has(id)) {
      diags.push(
        diagnostic('SL103', `the id "${id}" is used by more than one node`, {
          nodeId: id,
          path: ['id'],
          hint: 'give each node its own id',
        }),
      );
    } else {
      index.set(id, locals.length);
      locals.push(local);
    }
  }
  const count = locals.length;
  const wires = resolveWires(locals, index, edges, diags);
  const incoming: Wire[][] = [];
  const outgoing: Wire[][] = [];
  for (let i = 0; i < count; i++) {
    incoming.push([]);
    outgoing.push([]);
  }
  for (const wire of wires) {
    outgoing[wire.from]?.push(wire);
    incoming[wire.to]?.push(wire);
  }
  const order = topologicalOrder(count, incoming, outgoing);
  reportCycles(locals, order, incoming, outgoing, diags);

  let trigger = -1;
  let outputs = 0;
  for (let i = 0; i < count; i++) {
    const kind = locals[i]?.node.kind;
    if (kind === 'output') outputs++;
    if (kind !== 'trigger') continue;
    if (trigger < 0) trigger = i;
    else {
      diags.push(
        diagnostic('SL108', 'a workflow has exactly one trigger', {
          nodeId: locals[i]?.node.id ?? '',
          hint: 'remove this trigger',
        }),
      );
    }
  }
  if (trigger < 0) {
    diags.push(
      diagnostic('SL107', 'the workflow has no trigger', {
        hint: 'add a trigger node: manual, webhook or schedule',
      }),
    );
  }
  if (outputs === 0) {
    diags.push(
      diagnostic('SL109', 'the workflow has no output', { hint: 'add an output node where the run ends' }),
    );
  }
  const reachable = reachableFrom(trigger, count, outgoing);
  locals.forEach((local, i) => {
    const { id, kind } = local.node;
    if (kind === 'trigger') return;
    if ((incoming[i]?.length ?? 0) === 0) {
      diags.push(
        diagnostic('SL113', 'nothing is connected to this node’s input', {
          nodeId: id,
          hint: 'connect an upstream node to it, or delete it',
        }),
      );
    } else if (trigger >= 0 && !reachable[i]) {
      diags.push(
        diagnostic('SL106', 'no path leads here from the trigger: this node never runs', { nodeId: id }),
      );
    }
    if (kind !== 'output' && local.outputs.length > 0 && (outgoing[i]?.length ?? 0) === 0) {
      diags.push(
        diagnostic('SL112', 'nothing uses this node’s output', {
          nodeId: id,
          hint: 'connect it to the next step or to an output',
        }),
      );
    }
  });
  return { locals, index, wires, incoming, outgoing, order, trigger, reachable, diagnostics: diags };
}

function resolveWires(
  locals: readonly NodeLocal[],
  index: ReadonlyMap<string, number>,
  edges: readonly GraphEdge[],
  diags: Diagnostic[],
): Wire[] {
  const wires: Wire[] = [];
  const ids = new Set<string>();
  // Wires by source, to spot a second edge between the same ports without building string keys.
  const bySource: Wire[][] = [];
  for (const edge of edges) {
    const edgeId = edge.id;
    if (ids.has(edgeId)) {
      diags.push(diagnostic('SL104', `the edge id "${edgeId}" is used twice`, { edgeId }));
      continue;
    }
    ids.add(edgeId);
    const from = index.get(edge.source) ?? -1;
    const to = index.get(edge.target) ?? -1;
    const source = locals[from];
    const target = locals[to];
    if (!source || !target) {
      const missing = !source ? edge.source : edge.target;
      diags.push(
        diagnostic('SL101', `the edge ${!source ? 'starts' : 'ends'} at "${missing}", which is not a node`, {
          edgeId,
          hint: 'delete the edge or reconnect it',
        }),
      );
      continue;
    }
    const sourcePort = resolvePort(source, 'outputs', edge.sourceHandle, edgeId, diags);
    const targetPort = resolvePort(target, 'inputs', edge.targetHandle, edgeId, diags);
    if (sourcePort === undefined || targetPort === undefined) continue;
    let siblings = bySource[from];
    if (!siblings) {
      siblings = [];
      bySource[from] = siblings;
    }
    if (
      siblings.some(
        (w) => w.target === edge.target && w.sourcePort === sourcePort && w.targetPort === targetPort,
      )
    ) {
      diags.push(
        diagnostic('SL104', 'another edge already connects the same ports', {
          edgeId,
          hint: 'delete one of them',
        }),
      );
      continue;
    }
    const wire: Wire = {
      id: edgeId,
      source: edge.source,
      sourcePort,
      target: edge.target,
      targetPort,
      from,
      to,
    };
    siblings.push(wire);
    wires.push(wire);
  }
  return wires;
}

function resolvePort(
  local: NodeLocal,
  side: 'inputs' | 'outputs',
  handle: string | null | undefined,
  edgeId: string,
  diags: Diagnostic[],
): string | undefined {
  // Ports are unknown when the kind or config is invalid: that is reported once, on the node.
  if (local.config === undefined) return handle ?? (side === 'inputs' ? 'in' : 'out');
  const ports = local[side];
  if (handle === null || handle === undefined) {
    const only = ports.length === 1 ? ports[0] : undefined;
    if (only) return only.name;
  } else {
    for (const port of ports) if (port.name === handle) return handle;
  }
  const names = ports.map((p) => p.name);
  const role = side === 'inputs' ? 'input' : 'output';
  diags.push(
    diagnostic(
      'SL102',
      handle == null
        ? `the edge does not say which ${role} of "${local.node.id}" it uses`
        : `"${local.node.id}" has no ${role} port "${handle}"`,
      {
        edgeId,
        hint: names.length > 0 ? `its ${role} ports: ${names.join(', ')}` : `it has no ${role} ports`,
      },
    ),
  );
  return undefined;
}
