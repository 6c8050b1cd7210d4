import type { EditorGraph, GraphEdge, GraphNode } from '@sluice/spec';

/**
 * The `compile5k` / `revalidate1k` workload graph (bench/WORKLOADS.md): a trigger, `layers` layers of
 * `width` nodes, each fed by two nodes of the layer before (so ~2 edges per node), and one output per
 * node of the last layer. Kinds rotate through transform (typed CEL mappings), gate (CEL tier rules),
 * branch (CEL cases) and validator (CEL rules); constants differ per node so no two expressions are
 * the same text.
 */
export function layeredGraph(width: number, layers: number): EditorGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const owner = 'bench';
  nodes.push({
    id: 'start',
    kind: 'trigger',
    typeVersion: 1,
    label: 'Start',
    owner,
    position: { x: 0, y: 0 },
    classification: 'public',
    config: {
      type: 'manual',
      input: {
        type: 'object',
        properties: { n: { type: 'integer' }, tag: { type: 'string' }, ok: { type: 'boolean' } },
        required: ['n', 'tag', 'ok'],
      },
    },
  });
  const idAt = (layer: number, j: number): string => `n${layer}_${j}`;
  for (let layer = 1; layer <= layers; layer++) {
    for (let j = 0; j < width; j++) {
      const index = layer * width + j;
      nodes.push(benchNode(idAt(layer, j), index, { x: layer * 300, y: j * 150 }));
      const sources = layer === 1 ? ['start'] : [idAt(layer - 1, j), idAt(layer - 1, (j + 1) % width)];
      for (const source of sources) {
        const from = nodes.find((n) => n.id === source);
        edges.push(
          wire(source, outPort(from?.kind ?? 'transform', source === idAt(layer - 1, j)), idAt(layer, j)),
        );
      }
    }
  }
  for (let j = 0; j < width; j++) {
    const id = `out_${j}`;
    nodes.push({
      id,
      kind: 'output',
      typeVersion: 1,
      label: id,
      owner,
      position: { x: (layers + 1) * 300, y: j * 150 },
      config: {},
    });
    const source = idAt(layers, j);
    edges.push(wire(source, outPort(nodes.find((n) => n.id === source)?.kind ?? 'transform', true), id));
  }
  return {
    graphVersion: 1,
    metadata: { name: `Layered ${width}×${layers}`, description: '', ownerTeam: owner },
    access: { trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] },
    nodes,
    edges,
  };
}

function outPort(kind: string, straight: boolean): string {
  if (kind === 'gate') return 'approved';
  if (kind === 'branch') return straight ? 'hi' : 'lo';
  return 'out';
}

function wire(source: string, sourceHandle: string, target: string): GraphEdge {
  return { id: `${source}.${sourceHandle}->${target}`, source, sourceHandle, target, targetHandle: 'in' };
}

/** One node of the workload; `index` picks the kind and the constants. */
export function benchNode(id: string, index: number, position: { x: number; y: number }): GraphNode {
  const base = { id, typeVersion: 1, label: id, owner: 'bench', position };
  switch (index % 10) {
    case 3:
      return {
        ...base,
        kind: 'gate',
        config: {
          tiers: [
            { when: `input.n > ${index}`, tier: 'auto', reason: 'large enough' },
            { when: `input.ok && input.tag != "t${index}"`, tier: 'review', reason: 'flagged' },
          ],
          approvers: { roles: ['reviewer'] },
        },
      };
    case 6:
      return {
        ...base,
        kind: 'branch',
        config: { cases: [{ port: 'hi', when: `input.n >= ${index}` }], defaultPort: 'lo' },
      };
    case 8:
      return {
        ...base,
        kind: 'validator',
        config: {
          detectors: ['email'],
          rules: [{ name: 'bounded', expr: `input.n < ${index * 1000}` }],
          onFailure: 'flag',
        },
      };
    default:
      return transformNode(base, index);
  }
}

/** A transform whose mapping keeps the `{ n, tag, ok }` shape; `variant` changes its constants. */
export function transformNode(base: Omit<GraphNode, 'kind' | 'config'>, variant: number): GraphNode {
  return {
    ...base,
    kind: 'transform',
    config: {
      mapping: {
        n: `input.n + ${variant}`,
        tag: `input.tag + "-${variant % 97}"`,
        ok: `input.ok || input.n > ${variant}`,
      },
    },
  };
}
