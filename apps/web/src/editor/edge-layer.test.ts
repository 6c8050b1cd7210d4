// Where the edge layer draws a wire: from the middle of the source handle's outer side to the middle
// of the target handle's, as React Flow's own bezier edge would; nothing until both ends are measured.
import { Position, getBezierPath } from '@xyflow/react';
import type { InternalNode } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { wirePath, wiresTouching } from './edge-layer';
import type { StepFlowEdge } from './to-step-flow';

function measured(id: string, x: number, y: number, handles: boolean): InternalNode {
  return {
    id,
    position: { x, y },
    data: {},
    measured: { width: 248, height: 120 },
    internals: {
      positionAbsolute: { x, y },
      z: 0,
      userNode: { id, position: { x, y }, data: {} },
      handleBounds: handles
        ? {
            source: [
              {
                id: 'out',
                nodeId: id,
                type: 'source',
                position: Position.Right,
                x: 243,
                y: 80,
                width: 10,
                height: 10,
              },
            ],
            target: [
              {
                id: 'in',
                nodeId: id,
                type: 'target',
                position: Position.Left,
                x: -5,
                y: 80,
                width: 10,
                height: 10,
              },
            ],
          }
        : undefined,
    },
  };
}

describe('wirePath', () => {
  it('runs from the source handle to the target handle as a bezier', () => {
    const d = wirePath(measured('a', 0, 0, true), measured('b', 400, 100, true), 'out', 'in');
    const [expected] = getBezierPath({
      sourceX: 253,
      sourceY: 85,
      sourcePosition: Position.Right,
      targetX: 395,
      targetY: 185,
      targetPosition: Position.Left,
    });
    expect(d).toBe(expected);
  });

  it('draws nothing until both ends are measured, nor to a port the node lacks', () => {
    expect(wirePath(measured('a', 0, 0, true), measured('b', 400, 0, false), 'out', 'in')).toBeNull();
    expect(wirePath(measured('a', 0, 0, true), undefined, 'out', 'in')).toBeNull();
    expect(wirePath(measured('a', 0, 0, true), measured('b', 400, 0, true), 'approved', 'in')).toBeNull();
  });
});

describe('wiresTouching', () => {
  const wire = (id: string, source: string, target: string): StepFlowEdge => ({ id, source, target });
  const edges = [wire('e1', 'a', 'b'), wire('e2', 'b', 'c'), wire('e3', 'c', 'd')];

  it('gives the wires with an end in the dragged nodes, in drawing order', () => {
    const { wires, ids } = wiresTouching(edges, new Set(['b']));
    expect(wires.map((w) => w.id)).toEqual(['e1', 'e2']);
    expect([...ids]).toEqual(['e1', 'e2']);
  });

  it('gives a wire between two dragged nodes once', () => {
    expect(wiresTouching(edges, new Set(['c', 'd'])).wires.map((w) => w.id)).toEqual(['e2', 'e3']);
  });

  it('gives none while nothing is dragged', () => {
    expect(wiresTouching(edges, new Set()).wires).toEqual([]);
  });
});
