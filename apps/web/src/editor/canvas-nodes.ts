// What React Flow's node list becomes when the editor's mapped steps change. The canvas leaves its
// nodes to React Flow (uncontrolled), so a drag moves a node inside React Flow's store without
// re-rendering the canvas; React Flow then keeps its own copy of each node (with its measured size and
// drag position). When the editor's steps change, only the steps whose mapped objects changed replace
// React Flow's copies: replacing an unchanged one would make React Flow measure it again.
import type { XYPosition } from '@xyflow/react';
import type { StepFlowNode } from './step-node';

/**
 * React Flow's next node list: `next` (the editor's mapped steps), keeping React Flow's copy (`current`)
 * of every step whose mapped object is the one last given (`given`). A replaced step that is being
 * dragged stays where the drag put it (`dragged`), with the size React Flow measured.
 *
 * @example
 * flow.setNodes((current) => reconcileNodes(current, mapped.nodes, lastGiven, draggedPositions));
 */
export function reconcileNodes(
  current: readonly StepFlowNode[],
  next: readonly StepFlowNode[],
  given: ReadonlyMap<string, StepFlowNode>,
  dragged: ReadonlyMap<string, XYPosition> | null,
): StepFlowNode[] {
  const copies = new Map(current.map((node) => [node.id, node]));
  return next.map((node) => {
    const copy = copies.get(node.id);
    if (copy && given.get(node.id) === node) return copy;
    const position = dragged?.get(node.id);
    if (!position) return node;
    return copy?.measured ? { ...node, position, measured: copy.measured } : { ...node, position };
  });
}

/** The mapped steps by id: what `reconcileNodes` compares the next mapping with. */
export function byId(nodes: readonly StepFlowNode[]): Map<string, StepFlowNode> {
  return new Map(nodes.map((node) => [node.id, node]));
}
