// Auto-layout with elkjs's layered algorithm, run in a Web Worker so a large graph never blocks the
// canvas. Thoroughness 1 keeps 1,000 nodes under a second (STACK.md); never NETWORK_SIMPLEX.
import ELK from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { EditorGraph } from '../api/contract';

const NODE_WIDTH = 248;
const NODE_HEIGHT = 150;

let elk: InstanceType<typeof ELK> | null = null;

/**
 * New positions for every node: left to right in the order data flows.
 *
 * @example
 * const positions = await layoutGraph(graph); // Map { 'start' => { x: 12, y: 12 }, ... }
 */
export async function layoutGraph(graph: EditorGraph): Promise<Map<string, { x: number; y: number }>> {
  elk ??= new ELK({ workerUrl: elkWorkerUrl });
  const ids = new Set(graph.nodes.map((n) => n.id));
  const result = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.thoroughness': '1',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
    },
    children: graph.nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: graph.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const positions = new Map<string, { x: number; y: number }>();
  for (const child of result.children ?? [])
    positions.set(child.id, { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) });
  return positions;
}
