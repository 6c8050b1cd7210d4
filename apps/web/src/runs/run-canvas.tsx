// The published version's canvas with the run's live overlay: each node framed and labelled with its
// state (running nodes with their elapsed time, waiting ones with why), edges animated while data
// flows over them. Nodes keep their identity between events, so only changed nodes re-render.
import {
  Background,
  BackgroundVariant,
  Controls,
  type NodeProps,
  type NodeTypes,
  ReactFlow,
} from '@xyflow/react';
import { memo, useEffect, useMemo, useState } from 'react';
import type { EditorGraph } from '../api/contract';
import {
  toFlow,
  type WorkflowFlowEdge,
  type WorkflowFlowNode,
  type WorkflowNodeData,
} from '../workflows/canvas/to-flow';
import { WorkflowNode } from '../workflows/canvas/workflow-node';
import { formatDuration } from './duration';
import { edgeActive, type NodeOverlay, type RunOverlay } from './overlay';
import { stateLabel } from './run-status';

type RunNodeData = WorkflowNodeData & {
  overlay: NodeOverlay;
  selected: boolean;
  onOpen: (nodeId: string) => void;
};
type RunFlowNode = Omit<WorkflowFlowNode, 'type' | 'data'> & { type: 'run'; data: RunNodeData };

function Elapsed({ since }: { since: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <span className="sl-run-node__elapsed">{formatDuration(Math.max(0, now - Date.parse(since)))}</span>;
}

function RunNodeView(props: NodeProps<RunFlowNode>) {
  const { id, data } = props;
  const { overlay } = data;
  const state = stateLabel(overlay.state);
  // The canvas node itself is drawn by the workflows' own component; this frame adds the run state.
  const inner: NodeProps<WorkflowFlowNode> = { ...props, type: 'workflow', data };
  return (
    <div
      className="sl-run-node"
      data-state={overlay.state}
      data-selected={data.selected || undefined}
      data-testid={`run-node-${id}`}
    >
      <WorkflowNode {...inner} />
      <button
        type="button"
        className="sl-run-node__state nodrag nopan"
        aria-label={`${data.label}: ${state}. Inspect step`}
        aria-pressed={data.selected}
        onClick={() => data.onOpen(id)}
      >
        <span className="sl-run-node__dot" aria-hidden="true" />
        <span className="sl-run-node__state-text">{state}</span>
        {overlay.state === 'running' && overlay.startedAt !== null && <Elapsed since={overlay.startedAt} />}
        {overlay.attempt > 1 && <span className="sl-run-node__attempt">attempt {overlay.attempt}</span>}
      </button>
      {overlay.state === 'waiting' && overlay.waitingReason !== null && (
        <p className="sl-run-node__reason">{overlay.waitingReason}</p>
      )}
      {overlay.state === 'failed' && overlay.error !== null && (
        <p className="sl-run-node__reason">{overlay.error}</p>
      )}
    </div>
  );
}

const RunNode = memo(RunNodeView);
const nodeTypes = { run: RunNode } satisfies NodeTypes;

/** The canvas of a run; clicking a node's state opens its step in the inspector. */
export function RunCanvas({
  graph,
  overlay,
  selected,
  onOpen,
  title,
}: {
  graph: EditorGraph;
  overlay: RunOverlay;
  selected: string | null;
  onOpen: (nodeId: string) => void;
  title: string;
}) {
  const flow = useMemo(() => toFlow(graph), [graph]);
  // One node object per (node, overlay, selection): React Flow re-renders only nodes whose object changed.
  const [cache] = useState(() => new Map<string, RunFlowNode>());
  const nodes = useMemo(
    () =>
      flow.nodes.map((node): RunFlowNode => {
        const nodeOverlay = overlay.nodes.get(node.id);
        const isSelected = selected === node.id;
        const previous = cache.get(node.id);
        if (
          previous &&
          previous.data.overlay === nodeOverlay &&
          previous.data.selected === isSelected &&
          previous.data.onOpen === onOpen
        )
          return previous;
        const next: RunFlowNode = {
          ...node,
          type: 'run',
          data: {
            ...node.data,
            overlay: nodeOverlay ?? {
              state: 'pending',
              attempt: 0,
              startedAt: null,
              waitingReason: null,
              error: null,
              retryAt: null,
            },
            selected: isSelected,
            onOpen,
          },
        };
        cache.set(node.id, next);
        return next;
      }),
    [flow, overlay.nodes, selected, onOpen, cache],
  );
  const edges = useMemo(
    () =>
      flow.edges.map((edge): WorkflowFlowEdge => {
        const active = edgeActive(overlay.nodes.get(edge.source), overlay.nodes.get(edge.target));
        const carried = overlay.nodes.get(edge.source)?.state === 'succeeded';
        return {
          ...edge,
          animated: active,
          className: `${edge.className ?? ''} sl-run-edge${active ? ' sl-run-edge--active' : ''}${carried ? ' sl-run-edge--carried' : ''}`,
          ...(edge.ariaLabel ? { ariaLabel: `${edge.ariaLabel}${active ? ', data flowing' : ''}` } : {}),
        };
      }),
    [flow, overlay.nodes],
  );
  return (
    <div className="sl-canvas sl-run-canvas">
      <ReactFlow<RunFlowNode, WorkflowFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.12, maxZoom: 1 }}
        minZoom={0.1}
        maxZoom={2}
        colorMode="system"
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        deleteKeyCode={null}
        onlyRenderVisibleElements={flow.nodes.length > 60}
        aria-label={`Run of ${title}`}
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1.4} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
