import { describe, expect, test } from 'vitest';
import { dotGap, MIN_DOT_SPACING_PX } from './canvas-dots';

describe('the dot grid', () => {
  test('keeps its spacing while the dots are far enough apart on screen', () => {
    expect(dotGap(16, 1)).toBe(16);
    expect(dotGap(16, 0.75)).toBe(16);
    expect(dotGap(18, 2)).toBe(18);
  });

  test('doubles its spacing as often as zooming out needs, never closer than the minimum', () => {
    expect(dotGap(16, 0.5)).toBe(32);
    expect(dotGap(18, 0.15)).toBe(144);
    for (const zoom of [0.1, 0.13, 0.2, 0.37, 0.5, 0.74, 1, 1.5]) {
      const gap = dotGap(16, zoom);
      expect(gap * zoom).toBeGreaterThanOrEqual(MIN_DOT_SPACING_PX);
      // One doubling fewer would be too close (or it is the grid's own spacing).
      expect(gap === 16 || (gap / 2) * zoom < MIN_DOT_SPACING_PX).toBe(true);
    }
  });

  test('ends at a zoom of nothing', () => {
    expect(dotGap(16, 0)).toBe(16 * 1024);
  });
});
