import { type Classification, canFlow, classificationRank, joinClassification } from '../classification.js';
import { type Diagnostic, diagnostic } from '../diagnostics.js';
import type { CompilePolicy } from '../node-definition.js';
import type { Structure } from './structure.js';

/** What the classification flow says about one node. */
export interface NodeFlow {
  /** The label of the data arriving at the node. */
  input: Classification;
  /** The label on each output port. */
  outputs: Record<string, Classification>;
  /** The highest label the node may receive. */
  clearance: Classification;
  /** Whether data leaves the trust boundary here. */
  egress: boolean;
}

const DEFAULT_SOURCE_LABEL: Classification = 'internal';

/**
 * The classification flow (DESIGN §3): labels flow along edges in topological order; a node emits the
 * join of what it receives and its own declared classification, unless its kind lowers the label on a
 * port (a redacting validator, a declassifying gate). Data above a node's clearance is an error on the
 * edge that carries it (SL501); a clearance above the workspace policy for an egress node is SL505.
 */
export function classifyGraph(
  structure: Structure,
  policy: CompilePolicy,
): { flows: (NodeFlow | undefined)[]; diagnostics: Diagnostic[] } {
  const flows: (NodeFlow | undefined)[] = new Array<NodeFlow | undefined>(structure.locals.length);
  const diagnostics: Diagnostic[] = [];
  for (const index of structure.order) {
    const local = structure.locals[index];
    if (!local) continue;
    const { node, def, config } = local;
    const id = node.id;
    const wires = structure.incoming[index] ?? [];
    let input: Classification = 'public';
    for (const wire of wires)
      input = joinClassification(input, flows[wire.from]?.outputs[wire.sourcePort] ?? 'public');
    const known = def !== undefined && config !== undefined;
    const egress = known ? def.classification.egress(config, policy) : false;
    const defaultClearance: Classification = egress ? policy.externalClearance : 'restricted';
    let clearance = node.clearance ?? defaultClearance;
    if (egress && node.clearance && !canFlow(node.clearance, policy.externalClearance)) {
      diagnostics.push(
        diagnostic(
          'SL505',
          `clearance "${node.clearance}" is above what the workspace lets leave it ("${policy.externalClearance}")`,
          {
            nodeId: id,
            path: ['clearance'],
            hint: 'a workspace owner can raise the external clearance in the workspace policy',
          },
        ),
      );
      clearance = policy.externalClearance;
    }
    const outputs: Record<string, Classification> = {};
    const isSource = wires.length === 0 && known && def.classification.sourceLabel !== undefined;
    const base = isSource
      ? (node.classification ?? def.classification.sourceLabel ?? DEFAULT_SOURCE_LABEL)
      : input;
    let declaredBelowInput = false;
    for (const port of local.outputs) {
      let label =
        known && def.classification.emits ? def.classification.emits(config, base, port.name) : base;
      if (!isSource && node.classification) {
        if (classificationRank(node.classification) < classificationRank(label)) declaredBelowInput = true;
        label = joinClassification(label, node.classification);
      }
      outputs[port.name] = label;
    }
    if (declaredBelowInput && node.classification) {
      diagnostics.push(
        diagnostic(
          'SL504',
          `declared "${node.classification}" but receives "${input}": the output keeps the higher label`,
          {
            nodeId: id,
            path: ['classification'],
            hint: 'only a redacting validator or an approving gate can lower a label',
          },
        ),
      );
    }
    for (const wire of wires) {
      const label = flows[wire.from]?.outputs[wire.sourcePort] ?? 'public';
      if (canFlow(label, clearance)) continue;
      diagnostics.push(
        diagnostic(
          'SL501',
          `edge "${wire.id}" carries ${label} data from "${wire.source}" into "${id}", which is cleared for ${clearance} only`,
          {
            edgeId: wire.id,
            nodeId: id,
            hint: `insert a validator that redacts (onFailure: redact, guarantees: ${clearance}) or a gate that declassifies on approval before "${id}"`,
          },
        ),
      );
    }
    flows[index] = { input, outputs, clearance, egress };
  }
  return { flows, diagnostics };
}
