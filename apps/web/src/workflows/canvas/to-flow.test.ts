import { describe, expect, it } from 'vitest';
import type { EditorGraph, GraphNode } from '../../api/contract';
import { portName, toFlow } from './to-flow';

function node(id: string, kind: GraphNode['kind'], classification?: GraphNode['classification']): GraphNode {
  return {
    id,
    kind,
    typeVersion: 1,
    label: id,
    owner: 'ops',
    position: { x: 0, y: 0 },
    config: {},
    classification,
  };
}

const graph: EditorGraph = {
  graphVersion: 1,
  metadata: { name: 'Triage', description: '', ownerTeam: 'ops' },
  access: { trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] },
  nodes: [node('start', 'trigger', 'restricted'), node('route', 'branch'), node('low', 'output', 'public')],
  edges: [
    { id: 'a', source: 'start', sourceHandle: 'out', target: 'route', targetHandle: 'in' },
    { id: 'b', source: 'route', sourceHandle: 'low', target: 'low', targetHandle: 'in' },
    { id: 'c', source: 'route', sourceHandle: 'high', target: 'gone', targetHandle: 'in' },
  ],
};

describe('toFlow', () => {
  it('colours each edge by the classification of its source node', () => {
    const { edges } = toFlow(graph);
    expect(edges.map((edge) => [edge.id, edge.data?.classification, edge.className])).toEqual([
      ['a', 'restricted', 'sl-edge sl-edge--restricted'],
      ['b', 'unclassified', 'sl-edge sl-edge--unclassified'],
    ]);
  });

  it('leaves out edges to nodes that are not in the graph, and their ports', () => {
    const { nodes, edges } = toFlow(graph);
    expect(edges.map((edge) => edge.id)).toEqual(['a', 'b']);
    expect(nodes.find((n) => n.id === 'route')?.data).toMatchObject({ inputs: ['in'], outputs: ['low'] });
  });

  it('gives an edge without handles the unnamed port, listed before named ones', () => {
    const unnamed: EditorGraph = {
      ...graph,
      edges: [
        { id: 'x', source: 'start', sourceHandle: 'audit', target: 'low', targetHandle: 'in' },
        { id: 'y', source: 'start', target: 'route', targetHandle: null },
      ],
    };
    const { nodes, edges } = toFlow(unnamed);
    expect(nodes.find((n) => n.id === 'start')?.data.outputs).toEqual([null, 'audit']);
    expect(nodes.find((n) => n.id === 'route')?.data.inputs).toEqual([null]);
    expect(edges[1]).toMatchObject({ sourceHandle: null, targetHandle: null });
    expect(portName('output', null, 'trigger', 'start')).toBe('output port of trigger start');
    expect(portName('output', 'audit', 'trigger', 'start')).toBe('output port audit of trigger start');
  });

  it('lists each port once, in the order edges mention it', () => {
    const fanIn: EditorGraph = {
      ...graph,
      edges: [
        { id: 'x', source: 'start', sourceHandle: 'out', target: 'low', targetHandle: 'in' },
        { id: 'y', source: 'route', sourceHandle: 'done', target: 'low', targetHandle: 'in' },
      ],
    };
    const low = toFlow(fanIn).nodes.find((n) => n.id === 'low');
    expect(low?.data.inputs).toEqual(['in']);
    expect(low?.data.classification).toBe('public');
  });
});
