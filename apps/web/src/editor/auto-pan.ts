// When a drag should pan the canvas. React Flow pans while a dragged node's pointer is within 40px of
// the canvas's edge, and to find out it runs a requestAnimationFrame loop for the whole drag: a frame
// rendered on every display refresh even while the pointer rests mid-canvas, each taking its share of
// the two cores from the frames that show the node moving. The canvas turns React Flow's auto-pan on
// only while the pointer is near an edge, so the loop runs only where it can pan.

/** How close (px) to the canvas's edge React Flow starts panning during a drag. */
export const AUTO_PAN_DISTANCE = 40;

/**
 * Whether the pointer at (`x`, `y`) (client coordinates) is where a drag may pan `canvas`: within
 * AUTO_PAN_DISTANCE of an edge, with `slack` px more so the loop is running when the pointer gets there,
 * or outside the canvas altogether.
 *
 * @example
 * nearEdge({ x: 5, y: 300 }, canvas.getBoundingClientRect()); // true
 */
export function nearEdge(
  { x, y }: { x: number; y: number },
  canvas: { left: number; top: number; right: number; bottom: number },
  slack = 8,
): boolean {
  const zone = AUTO_PAN_DISTANCE + slack;
  return (
    x < canvas.left + zone || x > canvas.right - zone || y < canvas.top + zone || y > canvas.bottom - zone
  );
}
