// The published version's canvas with the run's live overlay: each node framed and labelled with its
// state (running nodes with their elapsed time, waiting ones with why), edges animated while data
// flows over them, a gate's "k of n" approvals, a rollback under way, and a badge for each open alert
// that names the node (linking to it). Nodes keep their identity between events, so only changed
// nodes re-render.
import { Controls, type NodeProps, type NodeTypes, ReactFlow } from '@xyflow/react';
import { CanvasDots } from '../workflows/canvas/canvas-dots';
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
import { sectionHref } from '../routes';
import { edgeActive, IDLE_NODE, type NodeOverlay, type RunOverlay } from './overlay';
import { stateLabel } from './run-status';

/** An open alert naming a node, as its badge shows it. */
export interface NodeAlert {
  id: string;
  kind: string;
  severity: string;
  message: string;
}

const NO_ALERTS: readonly NodeAlert[] = [];

type RunNodeData = WorkflowNodeData & {
  overlay: NodeOverlay;
  selected: boolean;
  onOpen: (nodeId: string) => void;
  alerts: readonly NodeAlert[];
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
  const state = overlay.compensating
    ? 'Rolling back…'
    : overlay.state === 'waiting' && data.kind === 'human'
      ? 'Waiting for an answer'
      : stateLabel(overlay.state);
  const tally =
    overlay.state === 'waiting' && overlay.quorum !== null && overlay.approvals !== null
      ? `${overlay.approvals} of ${overlay.quorum} approvals`
      : null;
  // The canvas node itself is drawn by the workflows' own component; this frame adds the run state.
  const inner: NodeProps<WorkflowFlowNode> = { ...props, type: 'workflow', data };
  return (
    <div
      className="sl-run-node"
      data-state={overlay.state}
      data-compensating={overlay.compensating || undefined}
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
        {tally !== null && <span className="sl-run-node__tally">{tally}</span>}
      </button>
      {data.alerts.length > 0 && (
        <ul className="sl-run-node__alerts nodrag nopan" aria-label={`Open alerts on ${data.label}`}>
          {data.alerts.map((alert) => (
            <li key={alert.id}>
              <a
                className="sl-run-node__alert"
                data-severity={alert.severity}
                href={sectionHref('alerts', alert.id)}
                title={alert.message}
              >
                {alert.kind}
              </a>
            </li>
          ))}
        </ul>
      )}
      {overlay.compensationError !== null && !overlay.compensating && (
        <p className="sl-run-node__reason">Rollback failed: {overlay.compensationError}</p>
      )}
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
  alerts,
}: {
  graph: EditorGraph;
  overlay: RunOverlay;
  selected: string | null;
  onOpen: (nodeId: string) => void;
  title: string;
  /** Open alerts by the node they name; each list keeps its identity while unchanged. */
  alerts?: ReadonlyMap<string, readonly NodeAlert[]>;
}) {
  const flow = useMemo(() => toFlow(graph), [graph]);
  // One node object per (node, overlay, selection): React Flow re-renders only nodes whose object changed.
  const [cache] = useState(() => new Map<string, RunFlowNode>());
  const nodes = useMemo(
    () =>
      flow.nodes.map((node): RunFlowNode => {
        const nodeOverlay = overlay.nodes.get(node.id);
        const isSelected = selected === node.id;
        const nodeAlerts = alerts?.get(node.id) ?? NO_ALERTS;
        const previous = cache.get(node.id);
        if (
          previous &&
          previous.data.overlay === nodeOverlay &&
          previous.data.selected === isSelected &&
          previous.data.onOpen === onOpen &&
          previous.data.alerts === nodeAlerts
        )
          return previous;
        const next: RunFlowNode = {
          ...node,
          type: 'run',
          data: {
            ...node.data,
            overlay: nodeOverlay ?? IDLE_NODE,
            selected: isSelected,
            onOpen,
            alerts: nodeAlerts,
          },
        };
        cache.set(node.id, next);
        return next;
      }),
    [flow, overlay.nodes, selected, onOpen, cache, alerts],
  );
  // Likewise one edge object per (edge, source overlay, target overlay): a step's event redraws the
  // edges at its ends, not all of them.
  const [edgeCache] = useState(
    () =>
      new Map<
        string,
        { base: WorkflowFlowEdge; source?: NodeOverlay; target?: NodeOverlay; edge: WorkflowFlowEdge }
      >(),
  );
  const edges = useMemo(
    () =>
      flow.edges.map((edge): WorkflowFlowEdge => {
        const source = overlay.nodes.get(edge.source);
        const target = overlay.nodes.get(edge.target);
        const previous = edgeCache.get(edge.id);
        if (previous?.base === edge && previous.source === source && previous.target === target)
          return previous.edge;
        const active = edgeActive(source, target);
        const carried = source?.state === 'succeeded';
        const next: WorkflowFlowEdge = {
          ...edge,
          animated: active,
          className: `${edge.className ?? ''} sl-run-edge${active ? ' sl-run-edge--active' : ''}${carried ? ' sl-run-edge--carried' : ''}`,
          ...(edge.ariaLabel ? { ariaLabel: `${edge.ariaLabel}${active ? ', data flowing' : ''}` } : {}),
        };
        edgeCache.set(edge.id, { base: edge, source, target, edge: next });
        return next;
      }),
    [flow, overlay.nodes, edgeCache],
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
        <CanvasDots gap={18} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
