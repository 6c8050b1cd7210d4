import { z } from 'zod';
import { Classification } from './classification.js';
import { NodeId, PortName, TeamName } from './ids.js';
import { WorkflowMetadata } from './metadata.js';
import { Access } from './roles.js';
import { Compensation, Retry, TimeoutMs } from './step-options.js';
import { TriggerConfig } from './trigger.js';

/** The spec format this package writes. */
export const SPEC_VERSION = 'sluice/v1';

/** One end of an edge: a node and one of its ports. */
export const PortRef = z.strictObject({ node: NodeId, port: PortName });
export type PortRef = z.infer<typeof PortRef>;

/** A data dependency: the output port `from` feeds the input port `to`. */
export const SpecEdge = z.strictObject({ from: PortRef, to: PortRef });
export type SpecEdge = z.infer<typeof SpecEdge>;

/** How the run starts; its id is the node id edges leave from. */
export const SpecTrigger = z.strictObject({
  id: NodeId,
  typeVersion: z.number().int().min(1),
  label: z.string().max(200),
  owner: TeamName,
  description: z.string().max(4000).optional(),
  classification: Classification.optional(),
  config: TriggerConfig,
});
export type SpecTrigger = z.infer<typeof SpecTrigger>;

/**
 * A step. `config` was validated against the kind's schema (defaults applied) by the compiler.
 * `classification` is the least label the step's output carries; `clearance` the highest label it may
 * receive.
 */
export const SpecNode = z.strictObject({
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
  typeVersion: z.number().int().min(1),
  label: z.string().max(200),
  owner: TeamName,
  config: z.record(z.string(), z.unknown()),
  description: z.string().max(4000).optional(),
  classification: Classification.optional(),
  clearance: Classification.optional(),
  timeoutMs: TimeoutMs.optional(),
  retry: Retry.optional(),
  compensate: Compensation.optional(),
});
export type SpecNode = z.infer<typeof SpecNode>;

/**
 * A compiled workflow, `sluice/v1`: what the engine runs and what a published version pins. It holds
 * no canvas layout, so moving nodes does not change its hash.
 *
 * @example
 * const spec = Spec.parse(json); // throws on an invalid document; use compile() for diagnostics
 */
export const Spec = z
  .strictObject({
    specVersion: z.literal(SPEC_VERSION),
    metadata: WorkflowMetadata,
    trigger: SpecTrigger,
    nodes: z.record(NodeId, SpecNode),
    edges: z.array(SpecEdge),
    access: Access,
  })
  .superRefine((spec, ctx) => {
    if (Object.hasOwn(spec.nodes, spec.trigger.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['nodes', spec.trigger.id],
        message: 'the trigger id is also a node id',
      });
    }
    for (const [id, node] of Object.entries(spec.nodes)) {
      if (node.kind === 'trigger') {
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', id, 'kind'],
          message: 'the trigger lives in `trigger`',
        });
      }
    }
    spec.edges.forEach((edge, index) => {
      for (const end of ['from', 'to'] as const) {
        const id = edge[end].node;
        if (id !== spec.trigger.id && !Object.hasOwn(spec.nodes, id)) {
          ctx.addIssue({ code: 'custom', path: ['edges', index, end, 'node'], message: `no node "${id}"` });
        }
      }
    });
  });
export type Spec = z.infer<typeof Spec>;
