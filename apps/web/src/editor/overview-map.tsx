// The editor canvas's overview (minimap): every step as a rectangle coloured by its classification,
// the part the canvas shows framed, and the canvas moved by pressing or dragging in it (the wheel
// zooms). React Flow's MiniMap draws one <rect> per node from React Flow's store and recomputes the
// bounds of all nodes on every store update: on 1,000 steps, a large share of each drag frame. This one
// draws the editor's model, one <path> per classification, so it follows a drag when the drag ends
// (one edit) and costs nothing while it runs; it listens to the store only for the viewport.
import { Panel, useReactFlow, useStore, useStoreApi } from '@xyflow/react';
import type { ReactFlowState } from '@xyflow/react';
import { type PointerEvent, type WheelEvent, memo, useCallback, useMemo, useRef } from 'react';
import { centredOn, maskPath, stepPaths, unionBox, visibleBox, type OverviewStep } from './overview-geometry';
import type { StepFlowNode } from './step-node';

const WIDTH = 200;
const HEIGHT = 150;
// A step's size before React Flow has measured it (as the canvas assumes).
const STEP_WIDTH = 248;
const STEP_HEIGHT = 120;

type View = readonly [number, number, number, number, number];

const viewOf = (s: ReactFlowState): View => [
  s.transform[0],
  s.transform[1],
  s.transform[2],
  s.width,
  s.height,
];
const sameView = (a: View, b: View) => a.every((value, i) => value === b[i]);

/**
 * The overview of `steps` (the editor's mapped steps) for the enclosing React Flow, named `label`.
 * `minZoom` and `maxZoom` bound the wheel's zoom as the canvas bounds its own.
 */
export const OverviewMap = memo(function OverviewMap({
  steps,
  label,
  minZoom,
  maxZoom,
}: {
  steps: readonly StepFlowNode[];
  label: string;
  minZoom: number;
  maxZoom: number;
}) {
  const store = useStoreApi<StepFlowNode>();
  const flow = useReactFlow<StepFlowNode>();
  const [x, y, zoom, width, height] = useStore(viewOf, sameView);
  const boxes = useMemo(() => {
    // Sizes as React Flow last measured them, read once per change of the steps (not followed).
    const lookup = store.getState().nodeLookup;
    return steps.map((step): OverviewStep => {
      const measured = lookup.get(step.id)?.measured;
      return {
        x: step.position.x,
        y: step.position.y,
        width: measured?.width ?? STEP_WIDTH,
        height: measured?.height ?? STEP_HEIGHT,
        level: step.data.classification,
      };
    });
  }, [steps, store]);
  const paths = useMemo(() => stepPaths(boxes), [boxes]);
  const stepsBox = useMemo(() => unionBox(boxes), [boxes]);
  const visible = visibleBox([x, y, zoom], width, height);
  const framed = unionBox(boxes.length > 0 ? [stepsBox, visible] : [visible]);
  // Frame the box in the overview's aspect, with a margin.
  const scale = Math.max(framed.width / WIDTH, framed.height / HEIGHT, Number.EPSILON);
  const margin = 5 * scale;
  const frame = {
    x: framed.x - (WIDTH * scale - framed.width) / 2 - margin,
    y: framed.y - (HEIGHT * scale - framed.height) / 2 - margin,
    width: WIDTH * scale + 2 * margin,
    height: HEIGHT * scale + 2 * margin,
  };

  const svg = useRef<SVGSVGElement>(null);
  const pressed = useRef(false);
  /** The flow point under the pointer, through the overview's own transform. */
  const flowPoint = useCallback((event: { clientX: number; clientY: number }) => {
    const matrix = svg.current?.getScreenCTM()?.inverse();
    if (!matrix) return null;
    return new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix);
  }, []);
  const centreOn = useCallback(
    (event: { clientX: number; clientY: number }) => {
      const point = flowPoint(event);
      if (!point) return;
      const { transform, width: w, height: h } = store.getState();
      void flow.setViewport(centredOn(point, transform[2], w, h));
    },
    [flow, flowPoint, store],
  );
  const onPointerDown = useCallback(
    (event: PointerEvent<SVGSVGElement>) => {
      if (event.button !== 0) return;
      pressed.current = true;
      event.currentTarget.setPointerCapture(event.pointerId);
      centreOn(event);
    },
    [centreOn],
  );
  const onPointerMove = useCallback(
    (event: PointerEvent<SVGSVGElement>) => {
      if (pressed.current) centreOn(event);
    },
    [centreOn],
  );
  const onPointerUp = useCallback(() => {
    pressed.current = false;
  }, []);
  const onWheel = useCallback(
    (event: WheelEvent<SVGSVGElement>) => {
      const { transform, width: w, height: h } = store.getState();
      const next = Math.min(maxZoom, Math.max(minZoom, transform[2] * 2 ** (-event.deltaY / 500)));
      // Zoom about the middle of the canvas: it stays where it is.
      const middle = { x: (w / 2 - transform[0]) / transform[2], y: (h / 2 - transform[1]) / transform[2] };
      void flow.setViewport(centredOn(middle, next, w, h));
    },
    [flow, store, minZoom, maxZoom],
  );

  return (
    <Panel position="bottom-right" className="react-flow__minimap sl-overview">
      <svg
        ref={svg}
        className="react-flow__minimap-svg nopan nowheel"
        width={WIDTH}
        height={HEIGHT}
        viewBox={`${frame.x} ${frame.y} ${frame.width} ${frame.height}`}
        role="img"
        aria-label={label}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onWheel={onWheel}
      >
        {paths.map(({ level, d }) => (
          <path key={level} className="sl-overview__steps" d={d} style={{ fill: `var(--sl-cls-${level})` }} />
        ))}
        <path
          className="react-flow__minimap-mask"
          d={maskPath(frame, visible)}
          fillRule="evenodd"
          pointerEvents="none"
          style={{ strokeWidth: scale }}
        />
      </svg>
    </Panel>
  );
});
