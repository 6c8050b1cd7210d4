// The viewport the editor canvas opens at, before React Flow has measured a step: the one fitView
// settles on, so that a large graph is first drawn far out (light steps) and a small one at zoom 1.
import { describe, expect, it } from 'vitest';
import type { EditorGraph } from '../api/contract';
import { addNode, newNode } from './graph-ops';
import { initialViewport } from './editor-canvas';
import { FAR_HANDLE_SPAN, FAR_ZOOM, farHandleMargin } from './step-node';

function grid(columns: number, rows: number): EditorGraph {
  let g: EditorGraph = {
    graphVersion: 1,
    metadata: { name: 'Grid', description: '', ownerTeam: 'support' },
    access: { trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] },
    nodes: [],
    edges: [],
  };
  for (let c = 0; c < columns; c += 1)
    for (let r = 0; r < rows; r += 1) g = addNode(g, newNode(g, 'transform', { x: c * 300, y: r * 200 }));
  return g;
}

describe('initialViewport', () => {
  it('opens a 1,000-step graph far out, with every step inside the canvas', () => {
    const viewport = initialViewport(grid(25, 40), 1200, 900);
    expect(viewport).toBeDefined();
    const { x, y, zoom } = viewport!;
    expect(zoom).toBeLessThan(FAR_ZOOM);
    // The grid's corners, on screen.
    expect(x).toBeGreaterThanOrEqual(0);
    expect(y).toBeGreaterThanOrEqual(0);
    expect(x + (24 * 300 + 248) * zoom).toBeLessThanOrEqual(1200);
    expect(y + (39 * 200 + 150) * zoom).toBeLessThanOrEqual(900);
  });

  it('opens a small graph at zoom 1 at most, and leaves an empty or unsized canvas to React Flow', () => {
    expect(initialViewport(grid(2, 1), 1200, 900)?.zoom).toBe(1);
    expect(initialViewport(grid(0, 0), 1200, 900)).toBeUndefined();
    expect(initialViewport(grid(2, 1), 0, 0)).toBeUndefined();
  });
});

describe('farHandleMargin', () => {
  it('centres the only handle of a side on the far step', () => {
    expect(farHandleMargin(0, 1)).toBe(FAR_HANDLE_SPAN / 2 - 5);
  });

  it('spreads several handles evenly: each centred in its share of the span', () => {
    const margins = [0, 1, 2, 3].map((row) => farHandleMargin(row, 4));
    let bottom = 0;
    const centres = margins.map((margin) => {
      const top = bottom + margin;
      bottom = top + 10;
      return top + 5;
    });
    expect(centres).toEqual([10, 30, 50, 70]);
  });

  it('never gives a negative margin, however many ports a side has', () => {
    expect(farHandleMargin(5, 20)).toBe(0);
  });
});
