// React Flow keeps its own copy of each step (measured size, drag position); when the editor's mapped
// steps change, only the changed steps replace their copies, and a dragged step stays under the pointer.
import { describe, expect, it } from 'vitest';
import { byId, reconcileNodes } from './canvas-nodes';
import type { StepFlowNode } from './step-node';

function step(id: string, x: number, label = id): StepFlowNode {
  return {
    id,
    type: 'step',
    position: { x, y: 0 },
    data: {
      node: {
        id,
        kind: 'transform',
        typeVersion: 1,
        label,
        owner: 'team',
        position: { x, y: 0 },
        config: {},
      },
      inputs: [],
      outputs: [],
      classification: 'internal',
      errors: 0,
      warnings: 0,
    },
  };
}

/** React Flow's copy of a step: the same step, measured (and maybe moved). */
function copyOf(node: StepFlowNode, x = node.position.x): StepFlowNode {
  return { ...node, position: { x, y: 0 }, measured: { width: 248, height: 80 } };
}

describe('reconcileNodes', () => {
  const a = step('a', 0);
  const b = step('b', 300);

  it("keeps React Flow's copy of every step whose mapped object did not change", () => {
    const current = [copyOf(a), copyOf(b)];
    const next = reconcileNodes(current, [a, b], byId([a, b]), null);
    expect(next[0]).toBe(current[0]);
    expect(next[1]).toBe(current[1]);
  });

  it('hands over a changed step as mapped, so React Flow measures it again', () => {
    const renamed = step('b', 300, 'Renamed');
    const next = reconcileNodes([copyOf(a), copyOf(b)], [a, renamed], byId([a, b]), null);
    expect(next[1]).toBe(renamed);
  });

  it('adds new steps and drops removed ones, in the order of the mapping', () => {
    const c = step('c', 600);
    const current = [copyOf(a), copyOf(b)];
    const next = reconcileNodes(current, [c, a], byId([a, b]), null);
    expect(next.map((n) => n.id)).toEqual(['c', 'a']);
    expect(next[0]).toBe(c);
    expect(next[1]).toBe(current[0]);
  });

  it('keeps a changed step that is being dragged where the drag put it, with its measured size', () => {
    const selected = { ...a, selected: true };
    const dragged = new Map([['a', { x: 40, y: 16 }]]);
    const next = reconcileNodes([copyOf(a, 40)], [selected], byId([a]), dragged);
    expect(next[0]).toMatchObject({ id: 'a', selected: true, position: { x: 40, y: 16 } });
    expect(next[0]?.measured).toEqual({ width: 248, height: 80 });
  });

  it('places a new step at its mapped position even while another is dragged', () => {
    const c = step('c', 600);
    const next = reconcileNodes([copyOf(a, 40)], [a, c], byId([a]), new Map([['a', { x: 40, y: 0 }]]));
    expect(next[1]).toBe(c);
  });
});
