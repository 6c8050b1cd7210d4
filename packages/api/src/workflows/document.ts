// The export/import file of one workflow. Import trusts only the graph: the spec is always
// recompiled on the server, and a document whose recorded hash the recompiled spec does not match
// is refused (it was edited by hand, or made by an incompatible compiler).
import { EditorGraph, GRAPH_LIMITS } from '@sluice/spec';
import { z } from 'zod';

export const WORKFLOW_DOCUMENT_FORMAT = 'sluice.workflow/v1';

/** An editor graph within the compiler's size limits. */
export const GraphInput = EditorGraph.refine(
  (graph) => graph.nodes.length <= GRAPH_LIMITS.maxNodes && graph.edges.length <= GRAPH_LIMITS.maxEdges,
  { message: `at most ${GRAPH_LIMITS.maxNodes} nodes and ${GRAPH_LIMITS.maxEdges} edges` },
);

export const WorkflowDocument = z.strictObject({
  format: z.literal(WORKFLOW_DOCUMENT_FORMAT),
  exportedAt: z.iso.datetime(),
  graph: GraphInput,
  /** Present when a published version was exported. */
  published: z
    .strictObject({
      version: z.number().int().positive(),
      hash: z.string().regex(/^[0-9a-f]{64}$/),
      spec: z.unknown(),
    })
    .optional(),
});
export type WorkflowDocument = z.infer<typeof WorkflowDocument>;
