// The editable canvas: React Flow controlled by the editor graph. Nodes come from the step mapper;
// wires are checked by `connectionProblem` while they are drawn, and a refused one says why.
import { Background, BackgroundVariant, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import type {
  Connection,
  EdgeChange,
  FinalConnectionState,
  FitViewOptions,
  NodeChange,
  NodeTypes,
} from '@xyflow/react';
import { type DragEvent, useCallback, useLayoutEffect, useMemo, useRef } from 'react';
import { addNode, connect, moveNodes, newNode } from './graph-ops';
import { connectionProblem } from './ports';
import { StepNode, type StepFlowNode } from './step-node';
import { createStepMapper, type StepFlowEdge } from './to-step-flow';
import type { Editor } from './use-editor';

// Module scope: a new object per render would make React Flow remount every node.
const nodeTypes = { step: StepNode } satisfies NodeTypes;
const fitViewOptions: FitViewOptions = { padding: 0.15, maxZoom: 1 };
const snapGrid: [number, number] = [16, 16];

/** The MIME type a palette item puts on a drag. */
export const PALETTE_MIME = 'application/x-sluice-kind';

function minimapColor(node: StepFlowNode): string {
  return `var(--sl-cls-${node.data.classification})`;
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
  const mapper = useMemo(() => createStepMapper(), []);
  const { nodes, edges } = useMemo(
    () => mapper(graph, result, { selectedNodes: selection.nodes, selectedEdges: selection.edges }),
    [mapper, graph, result, selection],
  );
  // Callbacks read the latest graph through refs, so React Flow gets stable handlers.
  const graphRef = useRef(graph);
  const resultRef = useRef(result);
  useLayoutEffect(() => {
    graphRef.current = graph;
    resultRef.current = result;
  }, [graph, result]);

  const onNodesChange = useCallback(
    (changes: NodeChange<StepFlowNode>[]) => {
      const moved = new Map<string, { x: number; y: number }>();
      let selectionChanged = false;
      const selected = new Set(editor.selection.nodes);
      for (const change of changes) {
        if (change.type === 'position' && change.position) moved.set(change.id, change.position);
        if (change.type === 'select') {
          selectionChanged = true;
          if (change.selected) selected.add(change.id);
          else selected.delete(change.id);
        }
      }
      if (moved.size > 0) {
        const dragging = changes.some((c) => c.type === 'position' && c.dragging);
        if (dragging) editor.dragMove((g) => moveNodes(g, moved));
        else editor.edit((g) => moveNodes(g, moved));
      }
      if (selectionChanged) editor.select(selected, editor.selection.edges);
    },
    [editor],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<StepFlowEdge>[]) => {
      const selected = new Set(editor.selection.edges);
      let changed = false;
      for (const change of changes) {
        if (change.type !== 'select') continue;
        changed = true;
        if (change.selected) selected.add(change.id);
        else selected.delete(change.id);
      }
      if (changed) editor.select(editor.selection.nodes, selected);
    },
    [editor],
  );

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

  const onConnect = useCallback(
    (wire: Connection) => {
      const problem = connectionProblem(graphRef.current, wire, resultRef.current.analysis);
      if (problem) onRefused(problem);
      else editor.edit((g) => connect(g, wire));
    },
    [editor, onRefused],
  );

  const onConnectEnd = useCallback(
    (_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid === true) return;
      if (!state.fromNode || !state.toNode || !state.toHandle) {
        if (refusal.current) onRefused(refusal.current);
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
      if (problem) onRefused(problem);
    },
    [onRefused],
  );

  const onDrop = useCallback(
    (event: DragEvent<HTMLDivElement>) => {
      const kind = event.dataTransfer.getData(PALETTE_MIME);
      if (!kind) return;
      event.preventDefault();
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const node = newNode(graphRef.current, kind, { x: position.x - 124, y: position.y - 40 });
      editor.edit((g) => addNode(g, node));
      editor.select([node.id]);
      onNodeAdded(node.id);
    },
    [editor, flow, onNodeAdded],
  );

  const onDragOver = useCallback((event: DragEvent<HTMLDivElement>) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  return (
    <div className="sl-canvas sl-editor__canvas" onDrop={onDrop} onDragOver={onDragOver}>
      <ReactFlow<StepFlowNode, StepFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStart={editor.dragStart}
        onNodeDragStop={editor.dragEnd}
        onSelectionDragStart={editor.dragStart}
        onSelectionDragStop={editor.dragEnd}
        onConnect={onConnect}
        onConnectStart={onConnectStart}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        deleteKeyCode={null}
        fitView
        fitViewOptions={fitViewOptions}
        snapToGrid
        snapGrid={snapGrid}
        minZoom={0.05}
        maxZoom={2}
        colorMode="system"
        selectionOnDrag={false}
        elevateNodesOnSelect={false}
        aria-label={`Editor canvas of ${title}`}
      >
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
    </div>
  );
}
