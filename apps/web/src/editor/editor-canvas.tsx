// The editable canvas: React Flow fed by the editor graph. Nodes come from the step mapper; wires
// are checked by `connectionProblem` while they are drawn, and a refused one says why.
// React Flow holds the nodes (uncontrolled): a drag moves a node inside React Flow's store, and each
// frame of it re-renders only the dragged node and its wires, not this canvas; the editor graph
// (history, compile, autosave, inspector) sees the drag once, as one edit, when it ends. When the
// mapped steps change, only the changed ones are handed to React Flow (canvas-nodes.ts).
// React Flow gets no edges: the edge layer draws and selects the wires from the editor's model, so
// React Flow has no edge bookkeeping to redo on each node change. Every handler given to React Flow
// is stable: a new function per render would make React Flow update its store, and each store update
// calls every subscriber.
import { Controls, ReactFlow, getViewportForBounds, useReactFlow, useStoreApi } from '@xyflow/react';
import { CanvasDots } from '../workflows/canvas/canvas-dots';
import type {
  Connection,
  FinalConnectionState,
  FitViewOptions,
  NodeChange,
  NodeTypes,
  Viewport,
  XYPosition,
} from '@xyflow/react';
import { type DragEvent, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { nearEdge } from './auto-pan';
import { byId, reconcileNodes } from './canvas-nodes';
import { addNode, connect, moveNodes, newNode } from './graph-ops';
import { connectionProblem } from './ports';
import { EdgeLayer, type WireSelect } from './edge-layer';
import { OverviewMap } from './overview-map';
import { FarZoom, StepNode, type StepFlowNode } from './step-node';
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
  const store = useStoreApi<StepFlowNode, StepFlowEdge>();
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
  const { edges } = mapped;
  // Where the nodes of a drag in progress are now; null when nothing is being dragged. A ref, not
  // state: a drag frame must not re-render the canvas.
  const draggedRef = useRef<Map<string, XYPosition> | null>(null);
  // The mapped steps React Flow was last given (null until React Flow has mounted with them).
  const given = useRef<Map<string, StepFlowNode> | null>(null);
  useLayoutEffect(() => {
    if (!start) return;
    const last = given.current;
    given.current = byId(mapped.nodes);
    // On mount React Flow takes the steps as its defaultNodes.
    if (!last) return;
    flow.setNodes((current) => reconcileNodes(current, mapped.nodes, last, draggedRef.current));
  }, [start, mapped.nodes, flow]);

  // Callbacks read the latest editor through refs, so React Flow gets stable handlers.
  const editorRef = useRef(editor);
  const graphRef = useRef(graph);
  const resultRef = useRef(result);
  const onRefusedRef = useRef(onRefused);
  const onNodeAddedRef = useRef(onNodeAdded);
  useLayoutEffect(() => {
    editorRef.current = editor;
    graphRef.current = graph;
    resultRef.current = result;
    onRefusedRef.current = onRefused;
    onNodeAddedRef.current = onNodeAdded;
  });
  /** Ends a drag: its final positions become one edit (one undo step). */
  const settleDrag = useCallback((final: ReadonlyMap<string, XYPosition> | null) => {
    draggedRef.current = null;
    if (final && final.size > 0) editorRef.current.edit((g) => moveNodes(g, final));
  }, []);

  const onNodesChange = useCallback(
    (changes: NodeChange<StepFlowNode>[]) => {
      const editor = editorRef.current;
      const moved = new Map<string, XYPosition>();
      let selectionChanged = false;
      let picked = false;
      const selected = new Set(editor.selection.nodes);
      for (const change of changes) {
        if (change.type === 'position' && change.position) {
          if (change.dragging) (draggedRef.current ??= new Map()).set(change.id, change.position);
          else moved.set(change.id, change.position);
        }
        if (change.type === 'select') {
          selectionChanged = true;
          if (change.selected) {
            selected.add(change.id);
            picked = true;
          } else selected.delete(change.id);
        }
      }
      if (moved.size > 0) {
        // The drag's last frame (or a move without a drag): everything moved so far, committed once.
        const final = new Map(draggedRef.current ?? []);
        for (const [id, position] of moved) final.set(id, position);
        settleDrag(final);
      }
      if (selectionChanged) {
        // As React Flow does with its own edges: picking a step without the multi-selection key
        // drops the selected wires.
        const keepWires = !picked || store.getState().multiSelectionActive;
        editor.select(selected, keepWires ? editor.selection.edges : []);
      }
    },
    [settleDrag, store],
  );
  // A drag that ends without a final position change (React Flow sends none) still ends here.
  const onDragStop = useCallback(() => {
    if (draggedRef.current) settleDrag(draggedRef.current);
    if (store.getState().autoPanOnNodeDrag) store.setState({ autoPanOnNodeDrag: false });
  }, [settleDrag, store]);
  // React Flow's auto-pan only while the dragging pointer is near the canvas's edge (auto-pan.ts).
  // The canvas's box is read once per drag, as React Flow does: reading it per move could force a
  // layout in the middle of a frame.
  const canvasBox = useRef<DOMRect | null>(null);
  const onDragStart = useCallback(() => {
    canvasBox.current = store.getState().domNode?.getBoundingClientRect() ?? null;
  }, [store]);
  const onDrag = useCallback(
    (event: { clientX: number; clientY: number } | TouchEvent) => {
      const at = 'touches' in event ? event.touches[0] : event;
      if (!canvasBox.current || !at) return;
      const near = nearEdge({ x: at.clientX, y: at.clientY }, canvasBox.current);
      if (near !== store.getState().autoPanOnNodeDrag) store.setState({ autoPanOnNodeDrag: near });
    },
    [store],
  );

  const onSelectWire = useCallback((id: string, how: WireSelect) => {
    const editor = editorRef.current;
    if (how === 'only') {
      editor.select([], [id]);
      return;
    }
    const wires = new Set(editor.selection.edges);
    if (how === 'drop' || wires.has(id)) wires.delete(id);
    else wires.add(id);
    editor.select(editor.selection.nodes, wires);
  }, []);
  // A click on the empty canvas drops the whole selection, wires included.
  const onPaneClick = useCallback(() => {
    const editor = editorRef.current;
    if (editor.selection.nodes.size > 0 || editor.selection.edges.size > 0) editor.select([], []);
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
        <FarZoom>
          <ReactFlow<StepFlowNode, StepFlowEdge>
            {...(start.viewport ? { defaultViewport: start.viewport } : {})}
            defaultNodes={mapped.nodes}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onNodeDragStart={onDragStart}
            onSelectionDragStart={onDragStart}
            onNodeDrag={onDrag}
            onSelectionDrag={onDrag}
            onNodeDragStop={onDragStop}
            onSelectionDragStop={onDragStop}
            autoPanOnNodeDrag={false}
            onPaneClick={onPaneClick}
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
            <EdgeLayer edges={edges} onSelect={onSelectWire} />
            <CanvasDots gap={16} />
            <OverviewMap steps={mapped.nodes} label={`Overview of ${title}`} minZoom={MIN_ZOOM} maxZoom={2} />
            <Controls showInteractive={false} fitViewOptions={fitViewOptions} />
          </ReactFlow>
        </FarZoom>
      )}
    </div>
  );
}
