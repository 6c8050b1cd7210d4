// The overview's geometry: the part of the flow a canvas shows, the box to frame, the steps as one
// path per classification, and the viewport that centres the canvas on a picked point.
import { describe, expect, it } from 'vitest';
import { centredOn, maskPath, stepPaths, unionBox, visibleBox } from './overview-geometry';

describe('visibleBox', () => {
  it('maps the canvas through the viewport into flow coordinates', () => {
    expect(visibleBox([100, -50, 0.5], 800, 600)).toEqual({ x: -200, y: 100, width: 1600, height: 1200 });
  });
});

describe('unionBox', () => {
  it('holds every box', () => {
    const box = unionBox([
      { x: 0, y: 10, width: 100, height: 50 },
      { x: -20, y: 40, width: 10, height: 100 },
    ]);
    expect(box).toEqual({ x: -20, y: 10, width: 120, height: 130 });
  });

  it('is empty at the origin for no boxes', () => {
    expect(unionBox([])).toEqual({ x: 0, y: 0, width: 0, height: 0 });
  });
});

describe('stepPaths', () => {
  it('draws the steps of one classification as one path of rectangles', () => {
    const paths = stepPaths([
      { x: 0, y: 0, width: 10, height: 5, level: 'public' },
      { x: 20, y: 0, width: 10, height: 5, level: 'restricted' },
      { x: 40, y: 8, width: 10, height: 5, level: 'public' },
    ]);
    expect(paths).toEqual([
      { level: 'public', d: 'M0,0h10v5h-10zM40,8h10v5h-10z' },
      { level: 'restricted', d: 'M20,0h10v5h-10z' },
    ]);
  });

  it('draws nothing for no steps', () => {
    expect(stepPaths([])).toEqual([]);
  });
});

describe('maskPath', () => {
  it('is the frame with the visible box as a second ring (cut out by an even-odd fill)', () => {
    expect(maskPath({ x: 0, y: 0, width: 100, height: 80 }, { x: 10, y: 10, width: 20, height: 20 })).toBe(
      'M0,0h100v80h-100zM10,10h20v20h-20z',
    );
  });
});

describe('centredOn', () => {
  it('puts the point in the middle of the canvas at the zoom given', () => {
    const viewport = centredOn({ x: 500, y: 300 }, 0.5, 800, 600);
    expect(viewport).toEqual({ x: 150, y: 150, zoom: 0.5 });
    // The canvas middle maps back to the point.
    expect((400 - viewport.x) / viewport.zoom).toBe(500);
    expect((300 - viewport.y) / viewport.zoom).toBe(300);
  });
});
