import { type Diagnostic, diagnostic } from '../diagnostics.js';
import type { GraphNode } from '../graph.js';
import { isRecord } from '../guards.js';
import type { WorkflowMetadata } from '../metadata.js';
import type { Access } from '../roles.js';
import { SPEC_VERSION, type Spec, type SpecEdge, type SpecNode } from '../spec.js';
import { TriggerConfig } from '../trigger.js';
import type { Structure } from './structure.js';

function stepOptions(node: GraphNode): Partial<SpecNode> {
  const out: Partial<SpecNode> = {};
  if (node.description !== undefined) out.description = node.description;
  if (node.classification !== undefined) out.classification = node.classification;
  if (node.clearance !== undefined) out.clearance = node.clearance;
  if (node.timeoutMs !== undefined) out.timeoutMs = node.timeoutMs;
  if (node.retry !== undefined) out.retry = node.retry;
  if (node.compensate !== undefined) out.compensate = node.compensate;
  return out;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareEdges(a: SpecEdge, b: SpecEdge): number {
  return (
    compareText(a.from.node, b.from.node) ||
    compareText(a.from.port, b.from.port) ||
    compareText(a.to.node, b.to.node) ||
    compareText(a.to.port, b.to.port)
  );
}

/**
 * Assembles the spec from an error-free compilation: configs as parsed (defaults applied, upgraded to
 * the kind's current typeVersion), edges sorted so the hash does not depend on canvas order, and no
 * layout. Returns diagnostics instead when a registry's trigger kind does not produce a trigger config.
 */
export function buildSpec(
  metadata: WorkflowMetadata,
  access: Access,
  structure: Structure,
): { spec: Spec } | { diagnostics: Diagnostic[] } {
  const triggerLocal = structure.locals[structure.trigger];
  if (!triggerLocal?.def) return { diagnostics: [diagnostic('SL107', 'the workflow has no trigger')] };
  const triggerConfig = TriggerConfig.safeParse(triggerLocal.config);
  if (!triggerConfig.success) {
    return {
      diagnostics: [
        diagnostic('SL009', 'the registry’s trigger kind does not produce a sluice/v1 trigger config', {
          nodeId: triggerLocal.node.id,
        }),
      ],
    };
  }
  const t = triggerLocal.node;
  const trigger: Spec['trigger'] = {
    id: t.id,
    typeVersion: triggerLocal.def.typeVersion,
    label: t.label,
    owner: t.owner,
    config: triggerConfig.data,
  };
  if (t.description !== undefined) trigger.description = t.description;
  if (t.classification !== undefined) trigger.classification = t.classification;

  const nodes: Record<string, SpecNode> = {};
  for (const local of structure.locals) {
    const id = local.node.id;
    if (id === t.id || !local.def || !isRecord(local.config)) continue;
    const node = local.node;
    nodes[id] = {
      kind: node.kind,
      typeVersion: local.def.typeVersion,
      label: node.label,
      owner: node.owner,
      config: local.config,
      ...stepOptions(node),
    };
  }
  const edges: SpecEdge[] = structure.wires.map((w) => ({
    from: { node: w.source, port: w.sourcePort },
    to: { node: w.target, port: w.targetPort },
  }));
  edges.sort(compareEdges);
  const meta: WorkflowMetadata = {
    name: metadata.name,
    description: metadata.description,
    ownerTeam: metadata.ownerTeam,
  };
  if (metadata.version !== undefined) meta.version = metadata.version;
  const spec: Spec = {
    specVersion: SPEC_VERSION,
    metadata: meta,
    trigger,
    nodes,
    edges,
    access: {
      trigger: [...access.trigger],
      approve: [...access.approve],
      operate: [...access.operate],
      audit: [...access.audit],
    },
  };
  return { spec };
}
