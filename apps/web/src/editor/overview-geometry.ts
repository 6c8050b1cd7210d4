// The geometry of the canvas overview (overview-map.tsx): what part of the flow the canvas shows, the
// box the overview must frame, the steps drawn as one path per classification, and the viewport that
// centres the canvas on a point picked in the overview. Pure, so it is tested without a browser.
import type { ClassificationLevel } from '../workflows/canvas/to-flow';

/** A rectangle in flow coordinates. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A step as the overview draws it: where it is, how large, and its classification. */
export interface OverviewStep extends Box {
  level: ClassificationLevel;
}

/** The part of the flow a canvas of `width` × `height` pixels shows at viewport `[x, y, zoom]`. */
export function visibleBox(
  [x, y, zoom]: readonly [number, number, number],
  width: number,
  height: number,
): Box {
  return { x: -x / zoom, y: -y / zoom, width: width / zoom, height: height / zoom };
}

/** The smallest box holding every box given (an empty box at the origin for none). */
export function unionBox(boxes: readonly Box[]): Box {
  if (boxes.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const box of boxes) {
    minX = Math.min(minX, box.x);
    minY = Math.min(minY, box.y);
    maxX = Math.max(maxX, box.x + box.width);
    maxY = Math.max(maxY, box.y + box.height);
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

function rectPath({ x, y, width, height }: Box): string {
  return `M${x},${y}h${width}v${height}h${-width}z`;
}

/**
 * The steps as SVG path data, one entry per classification present: a thousand steps are a handful
 * of <path> elements, not a thousand <rect>s.
 */
export function stepPaths(steps: readonly OverviewStep[]): Array<{ level: ClassificationLevel; d: string }> {
  const byLevel = new Map<ClassificationLevel, string[]>();
  for (const step of steps) {
    const parts = byLevel.get(step.level) ?? [];
    parts.push(rectPath(step));
    byLevel.set(step.level, parts);
  }
  return [...byLevel].map(([level, parts]) => ({ level, d: parts.join('') }));
}

/** The shade outside the visible box: the framed box with the visible box cut out (even-odd fill). */
export function maskPath(frame: Box, visible: Box): string {
  return `${rectPath(frame)}${rectPath(visible)}`;
}

/** The viewport that puts flow point `point` in the middle of a `width` × `height` canvas at `zoom`. */
export function centredOn(
  point: { x: number; y: number },
  zoom: number,
  width: number,
  height: number,
): { x: number; y: number; zoom: number } {
  return { x: width / 2 - point.x * zoom, y: height / 2 - point.y * zoom, zoom };
}
