// A drag pans the canvas only near its edges: the auto-pan loop is wanted there and only there.
import { describe, expect, it } from 'vitest';
import { AUTO_PAN_DISTANCE, nearEdge } from './auto-pan';

const canvas = { left: 100, top: 50, right: 900, bottom: 650 };

describe('nearEdge', () => {
  it('is false in the middle of the canvas', () => {
    expect(nearEdge({ x: 500, y: 350 }, canvas)).toBe(false);
  });

  it.each([
    ['left', { x: 100 + AUTO_PAN_DISTANCE - 1, y: 350 }],
    ['right', { x: 900 - AUTO_PAN_DISTANCE + 1, y: 350 }],
    ['top', { x: 500, y: 50 + AUTO_PAN_DISTANCE - 1 }],
    ['bottom', { x: 500, y: 650 - AUTO_PAN_DISTANCE + 1 }],
    ['outside', { x: 20, y: 700 }],
  ])('is true near the %s edge', (_edge, point) => {
    expect(nearEdge(point, canvas)).toBe(true);
  });

  it('starts a little before React Flow pans (the slack), and not further in', () => {
    expect(nearEdge({ x: 100 + AUTO_PAN_DISTANCE + 5, y: 350 }, canvas)).toBe(true);
    expect(nearEdge({ x: 100 + AUTO_PAN_DISTANCE + 5, y: 350 }, canvas, 0)).toBe(false);
  });
});
