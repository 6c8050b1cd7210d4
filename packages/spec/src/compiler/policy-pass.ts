import { canFlow, classificationRank } from '../classification.js';
import { type Diagnostic, diagnostic } from '../diagnostics.js';
import type { Access } from '../roles.js';
import type { NodeFlow } from './classification-pass.js';
import type { Structure } from './structure.js';

/** Whether the node at `index` is a gate (its kind declares an approval step). */
export function isGate(structure: Structure, index: number): boolean {
  return structure.locals[index]?.human?.type === 'approval';
}

/**
 * Gate and access policy: data labelled confidential or above may only leave the trust boundary
 * behind a gate (every path from the trigger to the egress node passes one: SL602); someone must be
 * able to start runs (SL603) and audit them (SL605); gate approver roles should be allowed to approve
 * by the workflow's access (SL604).
 */
export function checkPolicy(
  structure: Structure,
  flows: readonly (NodeFlow | undefined)[],
  access: Access | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ungated = reachableWithoutGate(structure);
  flows.forEach((flow, index) => {
    if (!flow?.egress || classificationRank(flow.input) < classificationRank('confidential')) return;
    // Data above the clearance is already an error on the edge (SL501); this is about data it may take.
    if (!canFlow(flow.input, flow.clearance) || !ungated[index]) return;
    out.push(
      diagnostic('SL602', `sends ${flow.input} data outside the trust boundary with no gate upstream`, {
        nodeId: structure.locals[index]?.node.id ?? '',
        hint: 'insert a gate between the data and this node so a reviewer approves what leaves',
      }),
    );
  });
  if (!access) return out;
  if (access.trigger.length === 0) {
    out.push(
      diagnostic('SL603', 'no role may start this workflow', {
        path: ['access', 'trigger'],
        hint: 'add operator (or owner) to access.trigger',
      }),
    );
  }
  if (access.audit.length === 0) {
    out.push(
      diagnostic('SL605', 'no role may audit this workflow', {
        path: ['access', 'audit'],
        hint: 'add auditor to access.audit',
      }),
    );
  }
  for (const local of structure.locals) {
    const step = local.human;
    if (step?.type !== 'approval') continue;
    const outside = step.roles.filter((role) => role !== 'owner' && !access.approve.includes(role));
    if (outside.length === 0) continue;
    out.push(
      diagnostic('SL604', `approver role ${outside.join(', ')} is not in the workflow's access.approve`, {
        nodeId: local.node.id,
        path: ['config', 'approvers', 'roles'],
        hint: 'add the role to access.approve, or choose another approver role',
      }),
    );
  }
  return out;
}

/** Nodes reachable from the trigger along paths that pass no gate (gates themselves included). */
function reachableWithoutGate(structure: Structure): Uint8Array {
  const seen = new Uint8Array(structure.locals.length);
  if (structure.trigger < 0) return seen;
  const stack = [structure.trigger];
  seen[structure.trigger] = 1;
  while (stack.length > 0) {
    const node = stack.pop() ?? 0;
    if (isGate(structure, node)) continue;
    for (const wire of structure.outgoing[node] ?? []) {
      if (seen[wire.to]) continue;
      seen[wire.to] = 1;
      stack.push(wire.to);
    }
  }
  return seen;
}
