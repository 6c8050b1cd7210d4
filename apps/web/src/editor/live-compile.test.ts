// When the live compile may keep its answer (only positions moved) and when the mapper may hand
// React Flow the same edges array.
import { describe, expect, it } from 'vitest';
import type { EditorGraph } from '../api/contract';
import { addNode, connect, moveNodes, newNode, updateNode } from './graph-ops';
import { sameDesign } from './live-compile';
import { createStepMapper } from './to-step-flow';

function graph(): EditorGraph {
  let g: EditorGraph = {
    graphVersion: 1,
    metadata: { name: 'Answers', description: '', ownerTeam: 'support' },
    access: { trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] },
    nodes: [],
    edges: [],
  };
  const a = newNode(g, 'transform', { x: 0, y: 0 });
  g = addNode(g, a);
  const b = newNode(g, 'output', { x: 300, y: 0 });
  g = addNode(g, b);
  return connect(g, { source: a.id, sourceHandle: 'out', target: b.id, targetHandle: 'in' });
}

const none = { selectedNodes: new Set<string>(), selectedEdges: new Set<string>() };

describe('sameDesign', () => {
  it('holds when only positions moved', () => {
    const g = graph();
    const id = g.nodes[0]?.id ?? '';
    expect(sameDesign(g, moveNodes(g, new Map([[id, { x: 40, y: 80 }]])))).toBe(true);
  });

  it.each([
    ['a label', (g: EditorGraph) => updateNode(g, g.nodes[0]?.id ?? '', (n) => ({ ...n, label: 'Renamed' }))],
    ['a node added', (g: EditorGraph) => addNode(g, newNode(g, 'output', { x: 0, y: 300 }))],
    ['a wire removed', (g: EditorGraph) => ({ ...g, edges: [] })],
    ['the metadata', (g: EditorGraph) => ({ ...g, metadata: { ...g.metadata, name: 'Other' } })],
  ])('fails when %s changed', (_what, change) => {
    const g = graph();
    expect(sameDesign(g, change(g))).toBe(false);
  });
});

describe('createStepMapper', () => {
  it('hands back the same edges array while no wire changed, a new one when one did', () => {
    const map = createStepMapper();
    const g = graph();
    const first = map(g, null, none);
    const id = g.nodes[0]?.id ?? '';
    const moved = map(moveNodes(g, new Map([[id, { x: 40, y: 80 }]])), null, none);
    expect(moved.edges).toBe(first.edges);
    expect(moved.nodes).not.toBe(first.nodes);
    expect(moved.nodes[1]).toBe(first.nodes[1]);
    const unwired = map({ ...g, edges: [] }, null, none);
    expect(unwired.edges).toEqual([]);
    expect(unwired.edges).not.toBe(first.edges);
  });
});
