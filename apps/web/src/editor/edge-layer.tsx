// Every wire of the editor canvas in one <svg>. React Flow 12 draws each edge in an <svg> of its own;
// on 1,000 nodes that is 1,000 stacking contexts for Chromium to paint and composite on every frame
// of a drag. React Flow is given no edges at all (it would keep them in its store and recompute them on
// every node change): this layer draws them from the editor's model, under the nodes, in one <svg>,
// and selects them in that model. Each wire is memoised and follows only its two end nodes through one
// shared node watch (node-watch.ts), so a drag redraws only the dragged node's wires. Those wires move
// to a second, small <svg> while their node is dragged: a frame then repaints two wires, not the <svg>
// of all 1,000.
// A wire keeps React Flow's classes, data-id and aria-label, and is selected by click or keyboard.
import { EdgeLabelRenderer, Position, getBezierPath, useStoreApi } from '@xyflow/react';
import type { InternalNode } from '@xyflow/react';
import {
  type KeyboardEvent,
  type MouseEvent,
  memo,
  useCallback,
  useLayoutEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from 'react';
import { type NodeWatch, createNodeWatch } from './node-watch';
import type { ClassificationLevel } from '../workflows/canvas/to-flow';
import type { StepFlowNode } from './step-node';
import type { StepFlowEdge } from './to-step-flow';

const LEVELS: ClassificationLevel[] = ['public', 'internal', 'confidential', 'restricted', 'unclassified'];

/** The id of the arrowhead marker for wires of a classification. */
export function arrowId(level: ClassificationLevel): string {
  return `sl-arrow-${level}`;
}

/**
 * How a click or key selects a wire: `only` it (nothing else stays selected), `toggle` it in the
 * selection (the multi-selection key is held), or `drop` it from the selection.
 */
export type WireSelect = 'only' | 'toggle' | 'drop';

type Watch = NodeWatch<InternalNode>;

interface HandleBox {
  id?: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
  position: Position;
}

/** Where a wire meets a handle, in flow coordinates: the middle of the handle's outer side. */
function anchor(node: InternalNode, handle: HandleBox) {
  const x = node.internals.positionAbsolute.x + handle.x;
  const y = node.internals.positionAbsolute.y + handle.y;
  switch (handle.position) {
    case Position.Right:
      return { x: x + handle.width, y: y + handle.height / 2 };
    case Position.Left:
      return { x, y: y + handle.height / 2 };
    case Position.Top:
      return { x: x + handle.width / 2, y };
    case Position.Bottom:
      return { x: x + handle.width / 2, y: y + handle.height };
  }
}

function findHandle(handles: readonly HandleBox[] | null | undefined, id: string | null | undefined) {
  if (!handles) return undefined;
  return id ? handles.find((h) => h.id === id) : handles[0];
}

/**
 * The SVG path of a wire between two measured nodes, or null while either end is not measured yet.
 */
export function wirePath(
  source: InternalNode | undefined,
  target: InternalNode | undefined,
  sourceHandle: string | null | undefined,
  targetHandle: string | null | undefined,
): string | null {
  if (!source || !target) return null;
  const from = findHandle(source.internals.handleBounds?.source, sourceHandle);
  const to = findHandle(target.internals.handleBounds?.target, targetHandle);
  if (!from || !to) return null;
  const s = anchor(source, from);
  const t = anchor(target, to);
  const [path] = getBezierPath({
    sourceX: s.x,
    sourceY: s.y,
    sourcePosition: from.position,
    targetX: t.x,
    targetY: t.y,
    targetPosition: to.position,
  });
  return path;
}

const SELECT_KEYS = new Set(['Enter', ' ', 'Escape']);

/**
 * The wires with an end in `nodes` (e.g. the nodes being dragged), in the order of `edges`, and their ids.
 */
export function wiresTouching(
  edges: readonly StepFlowEdge[],
  nodes: ReadonlySet<string>,
): { wires: StepFlowEdge[]; ids: ReadonlySet<string> } {
  if (nodes.size === 0) return { wires: [], ids: new Set() };
  const wires = edges.filter((edge) => nodes.has(edge.source) || nodes.has(edge.target));
  return { wires, ids: new Set(wires.map((edge) => edge.id)) };
}

const unsubscribed = () => () => undefined;
const nothing = () => undefined;

/**
 * The node `id` as the watch last saw it, re-rendering the caller only when that node changes; while
 * not `live`, nothing (and no re-render): a wire drawn in the other <svg> for now must not wake, or
 * each drag frame would re-render a child of the <svg> of all wires, and React would walk all of them.
 */
function useWatchedNode(watch: Watch, id: string, live: boolean): InternalNode | undefined {
  const subscribe = useCallback((listener: () => void) => watch.subscribe(id, listener), [watch, id]);
  const get = useCallback(() => watch.get(id), [watch, id]);
  return useSyncExternalStore(live ? subscribe : unsubscribed, live ? get : nothing, live ? get : nothing);
}

const Wire = memo(function Wire({
  edge,
  watch,
  onSelect,
  away = false,
}: {
  edge: StepFlowEdge;
  watch: Watch;
  onSelect: (id: string, how: WireSelect) => void;
  /** Drawn in the other <svg> for now (its node is being dragged). */
  away?: boolean;
}) {
  const store = useStoreApi<StepFlowNode>();
  const source = useWatchedNode(watch, edge.source, !away);
  const target = useWatchedNode(watch, edge.target, !away);
  const d = useMemo(
    () => wirePath(source, target, edge.sourceHandle, edge.targetHandle),
    [source, target, edge.sourceHandle, edge.targetHandle],
  );
  const selectable = edge.selectable !== false;
  const onClick = useCallback(
    (event: MouseEvent) => {
      if (!selectable) return;
      event.stopPropagation();
      const state = store.getState();
      store.setState({ nodesSelectionActive: false });
      onSelect(edge.id, state.multiSelectionActive ? 'toggle' : 'only');
    },
    [store, edge.id, selectable, onSelect],
  );
  const onKeyDown = useCallback(
    (event: KeyboardEvent) => {
      if (!selectable || !SELECT_KEYS.has(event.key)) return;
      event.preventDefault();
      onSelect(edge.id, event.key === 'Escape' ? 'drop' : 'only');
    },
    [edge.id, selectable, onSelect],
  );
  if (d === null || away) return null;
  const level = edge.data?.classification ?? 'unclassified';
  const className = [
    'react-flow__edge react-flow__edge-default nopan',
    edge.className,
    edge.selected ? 'selected' : '',
    selectable ? 'selectable' : 'inactive',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <g
      className={className}
      data-id={edge.id}
      role={selectable ? 'group' : 'img'}
      aria-roledescription="edge"
      aria-label={edge.ariaLabel ?? undefined}
      tabIndex={selectable && edge.focusable !== false ? 0 : undefined}
      onClick={onClick}
      onKeyDown={onKeyDown}
    >
      <path className="react-flow__edge-path" d={d} markerEnd={`url(#${arrowId(level)})`} />
      <path className="react-flow__edge-interaction" d={d} fill="none" strokeOpacity={0} strokeWidth={20} />
    </g>
  );
});

function Arrowheads() {
  return (
    <defs>
      {LEVELS.map((level) => (
        <marker
          key={level}
          id={arrowId(level)}
          className="react-flow__arrowhead"
          markerWidth="14"
          markerHeight="14"
          viewBox="-10 -10 20 20"
          markerUnits="strokeWidth"
          orient="auto-start-reverse"
          refX="0"
          refY="0"
        >
          <polyline
            className="arrowclosed"
            style={{ stroke: `var(--sl-cls-${level})`, fill: `var(--sl-cls-${level})`, strokeWidth: 1 }}
            strokeLinecap="round"
            strokeLinejoin="round"
            points="-5,-4 0,0 -5,4 -5,-4"
          />
        </marker>
      ))}
    </defs>
  );
}

/** One watch over the nodes of the enclosing React Flow, fed by a single store subscription. */
function useNodeWatch(): Watch {
  const store = useStoreApi<StepFlowNode>();
  const [watch] = useState(() =>
    createNodeWatch<InternalNode>(store.getState().nodeLookup, (node) => node.dragging === true),
  );
  useLayoutEffect(() => {
    watch.update(store.getState().nodeLookup);
    return store.subscribe((state) => watch.update(state.nodeLookup));
  }, [store, watch]);
  return watch;
}

/**
 * All `edges` in one <svg> under the nodes of the enclosing React Flow, which is given no edges.
 * `onSelect` changes the editor's selection when a wire is clicked or chosen by keyboard.
 */
export const EdgeLayer = memo(function EdgeLayer({
  edges,
  onSelect,
}: {
  edges: readonly StepFlowEdge[];
  onSelect: (id: string, how: WireSelect) => void;
}) {
  const watch = useNodeWatch();
  const dragged = useSyncExternalStore(watch.subscribeHot, watch.hot, watch.hot);
  const moving = useMemo(() => wiresTouching(edges, dragged), [edges, dragged]);
  return (
    <EdgeLabelRenderer>
      <svg className="sl-edge-layer" aria-hidden={edges.length === 0 || undefined}>
        <Arrowheads />
        {edges.map((edge) => (
          <Wire key={edge.id} edge={edge} watch={watch} onSelect={onSelect} away={moving.ids.has(edge.id)} />
        ))}
      </svg>
      <svg className="sl-edge-layer" aria-hidden={moving.wires.length === 0 || undefined}>
        {moving.wires.map((edge) => (
          <Wire key={edge.id} edge={edge} watch={watch} onSelect={onSelect} />
        ))}
      </svg>
    </EdgeLabelRenderer>
  );
});
