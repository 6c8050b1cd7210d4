import { z } from 'zod';
import { Classification } from './classification.js';
import { WorkflowMetadata } from './metadata.js';
import { Access } from './roles.js';
import { Compensation, Retry, TimeoutMs } from './step-options.js';

/** The current editor document version. */
export const GRAPH_VERSION = 1;

/** Canvas position of a node (React Flow coordinates). */
export const Position = z.object({ x: z.number().finite(), y: z.number().finite() });
export type Position = z.infer<typeof Position>;

/**
 * A node on the canvas. `kind` names a node kind of the registry (the trigger is a node of kind
 * `trigger`); `config` is validated by that kind's schema at compile time, so it is loose here.
 *
 * @example
 * GraphNode.parse({ id: 'classify', kind: 'ai', typeVersion: 1, label: 'Classify', owner: 'support',
 *   position: { x: 0, y: 0 }, config: { prompt: 'Classify {{ input.text }}' } });
 */
export const GraphNode = z.object({
  id: z.string().min(1).max(128),
  kind: z.string().min(1).max(64),
  typeVersion: z.number().int().min(1),
  label: z.string().max(200),
  owner: z.string().max(80),
  position: Position,
  config: z.record(z.string(), z.unknown()),
  description: z.string().max(4000).optional(),
  classification: Classification.optional(),
  clearance: Classification.optional(),
  timeoutMs: TimeoutMs.optional(),
  retry: Retry.optional(),
  compensate: Compensation.optional(),
});
export type GraphNode = z.infer<typeof GraphNode>;

/**
 * A wire between an output port (`sourceHandle`) and an input port (`targetHandle`). Handles are port
 * names; a missing handle means "the node's only port".
 *
 * @example
 * GraphEdge.parse({ id: 'e1', source: 'start', sourceHandle: 'out', target: 'classify', targetHandle: 'in' });
 */
export const GraphEdge = z.object({
  id: z.string().min(1).max(256),
  source: z.string().min(1).max(128),
  sourceHandle: z.string().max(64).nullish(),
  target: z.string().min(1).max(128),
  targetHandle: z.string().max(64).nullish(),
});
export type GraphEdge = z.infer<typeof GraphEdge>;

/**
 * The editor's document, shaped for React Flow: nodes with positions, edges with handles. The compiler
 * turns it into a {@link Spec}. Unknown keys (React Flow's `selected`, `measured`...) are dropped.
 *
 * @example
 * EditorGraph.parse({ graphVersion: 1, metadata: { name: 'Triage', ownerTeam: 'support' },
 *   access: { trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] },
 *   nodes: [], edges: [] });
 */
export const EditorGraph = z.object({
  graphVersion: z.literal(GRAPH_VERSION),
  metadata: WorkflowMetadata,
  access: Access,
  nodes: z.array(GraphNode),
  edges: z.array(GraphEdge),
});
export type EditorGraph = z.infer<typeof EditorGraph>;
