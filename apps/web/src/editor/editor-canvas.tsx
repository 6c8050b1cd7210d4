// The editable canvas: React Flow controlled by the editor graph. Nodes come from the step mapper;
// wires are checked by `connectionProblem` while they are drawn, and a refused one says why.
// A drag in progress is held here, over the mapped nodes, so each frame of it re-renders only the
// canvas and the dragged node; the editor graph (history, compile, autosave, inspector) sees the
// drag once, as one edit, when it ends. Every handler given to React Flow is stable: a new function
// per render would make React Flow update its store, and each store update visits every node.
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  getViewportForBounds,
  useReactFlow,
} from '@xyflow/react';
import type {
  Connection,
  EdgeChange,
  FinalConnectionState,
  FitViewOptions,
  NodeChange,
  NodeTypes,
  Viewport,
  XYPosition,
} from '@xyflow/react';
import { type DragEvent, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { addNode, connect, moveNodes, newNode } from './graph-ops';
import { connectionProblem } from './ports';
import { EdgeLayer } from './edge-layer';
import { StepNode, type StepFlowNode } from './step-node';
import { createStepMapper, type StepFlowEdge } from './to-step-flow';
import type { Editor } from './use-editor';
import type { EditorGraph } from '../api/contract';

// Module scope: a new object per render would make React Flow remount every node.
const nodeTypes = { step: StepNode } satisfies NodeTypes;
const fitViewOptions: FitViewOptions = { padding: 0.15, maxZoom: 1 };
const snapGrid: [number, number] = [16, 16];
const MIN_ZOOM = 0.05;
// A step's size before React Flow has measured it (layout.ts lays steps out at the same size).
const STEP_WIDTH = 248;
const STEP_HEIGHT = 150;

/**
 * The viewport `fitView` will settle on, estimated from the steps' positions before any is measured.
 * Starting there, a large graph is first drawn at the zoom it is seen at (far out: the light steps of
 * FAR_ZOOM) rather than drawn in full at zoom 1 and redrawn when `fitView` zooms out.
 */
export function initialViewport(graph: EditorGraph, width: number, height: number): Viewport | undefined {
  if (graph.nodes.length === 0 || width <= 0 || height <= 0) return undefined;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const { position } of graph.nodes) {
    minX = Math.min(minX, position.x);
    minY = Math.min(minY, position.y);
    maxX = Math.max(maxX, position.x + STEP_WIDTH);
    maxY = Math.max(maxY, position.y + STEP_HEIGHT);
  }
  const bounds = { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
  return getViewportForBounds(bounds, width, height, MIN_ZOOM, fitViewOptions.maxZoom ?? 1, 0.15);
}

/** The MIME type a palette item puts on a drag. */
export const PALETTE_MIME = 'application/x-sluice-kind';

function minimapColor(node: StepFlowNode): string {
  return `var(--sl-cls-${node.data.classification})`;
}

// The hidden twin of each wire object, kept while the wire object is, so React Flow sees no change.
const hiddenTwins = new WeakMap<StepFlowEdge, StepFlowEdge>();

/** `edge` as React Flow keeps it: in its store, for selection, but not drawn (the edge layer draws it). */
function hiddenEdge(edge: StepFlowEdge): StepFlowEdge {
  let twin = hiddenTwins.get(edge);
  if (!twin) {
    twin = { ...edge, hidden: true };
    hiddenTwins.set(edge, twin);
  }
  return twin;
}

/**
 * `nodes` with the dragged ones at their drag positions; only those get new objects. They keep the
 * size React Flow measured (`measuredOf`): a node object without one is measured afresh, which would
 * cost a forced layout and extra store updates on every frame of the drag.
 */
function withPositions(
  nodes: StepFlowNode[],
  dragged: ReadonlyMap<string, XYPosition> | null,
  measuredOf: (id: string) => StepFlowNode['measured'],
): StepFlowNode[] {
  if (!dragged || dragged.size === 0) return nodes;
  return nodes.map((node) => {
    const position = dragged.get(node.id);
    if (!position || (position.x === node.position.x && position.y === node.position.y)) return node;
    const measured = measuredOf(node.id);
    return measured ? { ...node, position, measured } : { ...node, position };
  });
}

/**
 * The canvas of the editor. `onRefused` receives the reason a wire could not be drawn.
 */
export function EditorCanvas({
  editor,
  title,
  onRefused,
  onNodeAdded,
}: {
  editor: Editor;
  title: string;
  onRefused: (reason: string) => void;
  onNodeAdded: (id: string) => void;
}) {
  const { graph, result, selection } = editor;
  const flow = useReactFlow<StepFlowNode, StepFlowEdge>();
  // React Flow mounts once the canvas has a size, at the viewport fitView will settle on.
  const [start, setStart] = useState<{ viewport: Viewport | undefined } | null>(null);
  const measureCanvas = useCallback(
    (element: HTMLDivElement | null) => {
      if (!element || start) return;
      setStart({ viewport: initialViewport(graph, element.clientWidth, element.clientHeight) });
    },
    [graph, start],
  );
  const mapper = useMemo(() => createStepMapper(), []);
  const mapped = useMemo(
    () => mapper(graph, result, { selectedNodes: selection.nodes, selectedEdges: selection.edges }),
    [mapper, graph, result, selection],
  );
  // Where the nodes of a drag in progress are now; null when nothing is being dragged.
  const [dragged, setDragged] = useState<ReadonlyMap<string, XYPosition> | null>(null);
  const nodes = useMemo(
    () => withPositions(mapped.nodes, dragged, (id) => flow.getInternalNode(id)?.measured),
    [mapped.nodes, dragged, flow],
  );
  const { edges } = mapped;
  // React Flow keeps the wires (for selection) but draws none: the edge layer draws them all at once.
  const hiddenEdges = useMemo(() => edges.map(hiddenEdge), [edges]);

  // Callbacks read the latest editor through refs, so React Flow gets stable handlers.
  const editorRef = useRef(editor);
  const graphRef = useRef(graph);
  const resultRef = useRef(result);
  const draggedRef = useRef(dragged);
  const onRefusedRef = useRef(onRefused);
  const onNodeAddedRef = useRef(onNodeAdded);
  useLayoutEffect(() => {
    editorRef.current = editor;
    graphRef.current = graph;
    resultRef.current = result;
    draggedRef.current = dragged;
    onRefusedRef.current = onRefused;
    onNodeAddedRef.current = onNodeAdded;
  });
  /** Ends a drag: its final positions become one edit (one undo step). */
  const settleDrag = useCallback((final: ReadonlyMap<string, XYPosition> | null) => {
    draggedRef.current = null;
    setDragged(null);
    if (final && final.size > 0) editorRef.current.edit((g) => moveNodes(g, final));
  }, []);

  const onNodesChange = useCallback(
    (changes: NodeChange<StepFlowNode>[]) => {
      const editor = editorRef.current;
      const moving = new Map(draggedRef.current ?? []);
      const moved = new Map<string, XYPosition>();
      let selectionChanged = false;
      const selected = new Set(editor.selection.nodes);
      for (const change of changes) {
        if (change.type === 'position' && change.position) {
          if (change.dragging) moving.set(change.id, change.position);
          else moved.set(change.id, change.position);
        }
        if (change.type === 'select') {
          selectionChanged = true;
          if (change.selected) selected.add(change.id);
          else selected.delete(change.id);
        }
      }
      if (moved.size > 0) {
        // The drag's last frame (or a move without a drag): everything moved so far, committed once.
        for (const [id, position] of moved) moving.set(id, position);
        settleDrag(moving);
      } else if (moving.size > 0) {
        draggedRef.current = moving;
        setDragged(moving);
      }
      if (selectionChanged) editor.select(selected, editor.selection.edges);
    },
    [settleDrag],
  );
  // A drag that ends without a final position change (React Flow sends none) still ends here.
  const onDragStop = useCallback(() => {
    if (draggedRef.current) settleDrag(draggedRef.current);
  }, [settleDrag]);

  const onEdgesChange = useCallback((changes: EdgeChange<StepFlowEdge>[]) => {
    const editor = editorRef.current;
    const selected = new Set(editor.selection.edges);
    let changed = false;
    for (const change of changes) {
      if (change.type !== 'select') continue;
      changed = true;
      if (change.selected) selected.add(change.id);
      else selected.delete(change.id);
    }
    if (changed) editor.select(editor.selection.nodes, selected);
  }, []);

  // The last reason a wire was refused while being drawn: said when the drag ends without a wire.
  const refusal = useRef<string | null>(null);
  const isValidConnection = useCallback((wire: Connection | StepFlowEdge) => {
    const problem = connectionProblem(graphRef.current, wire, resultRef.current.analysis);
    if (problem) refusal.current = problem;
    return problem === null;
  }, []);
  const onConnectStart = useCallback(() => {
    refusal.current = null;
  }, []);

  const onConnect = useCallback((wire: Connection) => {
    const problem = connectionProblem(graphRef.current, wire, resultRef.current.analysis);
    if (problem) onRefusedRef.current(problem);
    else editorRef.current.edit((g) => connect(g, wire));
  }, []);

  const onConnectEnd = useCallback((_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid === true) return;
    if (!state.fromNode || !state.toNode || !state.toHandle) {
      if (refusal.current) onRefusedRef.current(refusal.current);
      return;
    }
    const from = state.fromHandle;
    const to = state.toHandle;
    const wire =
      from?.type === 'target'
        ? {
            source: state.toNode.id,
            sourceHandle: to.id ?? null,
            target: state.fromNode.id,
            targetHandle: from.id ?? null,
          }
        : {
            source: state.fromNode.id,
            sourceHandle: from?.id ?? null,
            target: state.toNode.id,
            targetHandle: to.id ?? null,
          };
    const problem = connectionProblem(graphRef.current, wire, resultRef.current.analysis);
    if (problem) onRefusedRef.current(problem);
  }, []);

  const onDrop = useCallback(
    (event: DragEvent<HTMLDivElement>) => {
      const kind = event.dataTransfer.getData(PALETTE_MIME);
      if (!kind) return;
      event.preventDefault();
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const node = newNode(graphRef.current, kind, { x: position.x - 124, y: position.y - 40 });
      const editor = editorRef.current;
      editor.edit((g) => addNode(g, node));
      editor.select([node.id]);
      onNodeAddedRef.current(node.id);
    },
    [flow],
  );

  const onDragOver = useCallback((event: DragEvent<HTMLDivElement>) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  return (
    <div className="sl-canvas sl-editor__canvas" ref={measureCanvas} onDrop={onDrop} onDragOver={onDragOver}>
      {start && (
        <ReactFlow<StepFlowNode, StepFlowEdge>
          {...(start.viewport ? { defaultViewport: start.viewport } : {})}
          nodes={nodes}
          edges={hiddenEdges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onNodeDragStop={onDragStop}
          onSelectionDragStop={onDragStop}
          onConnect={onConnect}
          onConnectStart={onConnectStart}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          deleteKeyCode={null}
          fitView
          fitViewOptions={fitViewOptions}
          snapToGrid
          snapGrid={snapGrid}
          minZoom={MIN_ZOOM}
          maxZoom={2}
          colorMode="system"
          selectionOnDrag={false}
          elevateNodesOnSelect={false}
          aria-label={`Editor canvas of ${title}`}
        >
          <EdgeLayer edges={edges} />
          <Background variant={BackgroundVariant.Dots} gap={16} size={1.4} />
          <MiniMap<StepFlowNode>
            nodeColor={minimapColor}
            nodeStrokeWidth={0}
            nodeBorderRadius={6}
            pannable
            zoomable
            ariaLabel={`Overview of ${title}`}
          />
          <Controls showInteractive={false} fitViewOptions={fitViewOptions} />
        </ReactFlow>
      )}
    </div>
  );
}
