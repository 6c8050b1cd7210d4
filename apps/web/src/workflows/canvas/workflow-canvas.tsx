import { Controls, MiniMap, ReactFlow, useNodesState } from '@xyflow/react';
import { CanvasDots } from './canvas-dots';
import type { FitViewOptions, NodeTypes } from '@xyflow/react';
import { useMemo } from 'react';
import type { EditorGraph } from '../../api/contract';
import { toFlow } from './to-flow';
import type { WorkflowFlowNode } from './to-flow';
import { WorkflowNode } from './workflow-node';

// Module scope: a new object per render would make React Flow remount every node.
const nodeTypes = { workflow: WorkflowNode } satisfies NodeTypes;
const fitViewOptions: FitViewOptions = { padding: 0.12, maxZoom: 1 };

function minimapColor(node: WorkflowFlowNode): string {
  return `var(--sl-cls-${node.data.classification})`;
}

/**
 * The read-only canvas of one workflow graph: pan and zoom, no editing. Nodes are not
 * draggable, connectable, selectable or focusable in this view; each node is a labelled
 * group that assistive technology can browse.
 */
export function WorkflowCanvas({ graph, title }: { graph: EditorGraph; title: string }) {
  const flow = useMemo(() => toFlow(graph), [graph]);
  // Node state only takes React Flow's measurements (the minimap draws measured nodes);
  // the parent keys this component by workflow, so a different graph mounts a fresh canvas.
  const [nodes, , onNodesChange] = useNodesState(flow.nodes);
  return (
    <div className="sl-canvas">
      <ReactFlow<WorkflowFlowNode>
        nodes={nodes}
        edges={flow.edges}
        onNodesChange={onNodesChange}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={fitViewOptions}
        minZoom={0.2}
        maxZoom={2}
        colorMode="system"
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        deleteKeyCode={null}
        aria-label={`Graph of ${title}`}
      >
        <CanvasDots gap={18} />
        {nodes.length > 0 && (
          <MiniMap<WorkflowFlowNode>
            nodeColor={minimapColor}
            nodeStrokeWidth={0}
            nodeBorderRadius={6}
            pannable
            zoomable
            ariaLabel={`Overview of ${title}`}
          />
        )}
        <Controls showInteractive={false} />
      </ReactFlow>
      {graph.nodes.length === 0 && (
        <div className="sl-canvas__empty" role="status">
          This workflow has no steps yet.
        </div>
      )}
    </div>
  );
}
