// Every canvas's dot grid, kept at least a readable distance apart on screen: zoomed out, every other
// dot is dropped (the grid's spacing doubles) as often as needed. Zoomed far out, a fixed 16-unit grid
// became a haze of tens of thousands of dots a few pixels apart that the browser painted again under
// every node that changed: in the run view of a 100-step run, half of each frame.
import { Background, BackgroundVariant, useStore } from '@xyflow/react';

/** The least distance between two dots on screen. */
export const MIN_DOT_SPACING_PX = 12;

/** The grid's spacing in flow units at `zoom`: `gap`, doubled until its dots are far enough apart. */
export function dotGap(gap: number, zoom: number): number {
  let spaced = gap;
  while (spaced * zoom < MIN_DOT_SPACING_PX && spaced < gap * 1024) spaced *= 2;
  return spaced;
}

/** Inside a `<ReactFlow>`: re-renders only when zooming changes the spacing. */
export function CanvasDots({ gap }: { gap: number }) {
  const spaced = useStore((state) => dotGap(gap, state.transform[2]));
  return <Background variant={BackgroundVariant.Dots} gap={spaced} size={1.4} />;
}
