import type { Classification } from '../classification.js';
import type { OwnershipEntry } from '../ownership.js';
import type { Access, Role } from '../roles.js';
import type { NodeFlow } from './classification-pass.js';
import { isGate } from './policy-pass.js';
import type { Structure } from './structure.js';

const MAX_GUARDS = 16;
const NO_ACCESS: Access = { trigger: [], approve: [], operate: [], audit: [] };
const NONE: number[] = [];

interface Approvers {
  roles: Role[];
  users: string[];
}

/**
 * Derives the ownership map: one row per node, in topological order (nodes on cycles last, in
 * document order). `guardedBy` lists the nearest gates upstream, found by one forward pass. Rows
 * share the workflow-wide lists and guard lists: the map is data to show, not to edit.
 */
export function ownershipMap(
  structure: Structure,
  flows: readonly (NodeFlow | undefined)[],
  access: Access | undefined,
): OwnershipEntry[] {
  const acc = access ?? NO_ACCESS;
  const trigger = [...acc.trigger];
  const operate = [...acc.operate];
  const audit = [...acc.audit];
  const none: Approvers = { roles: [], users: [] };
  const count = structure.locals.length;
  const guards: number[][] = new Array<number[]>(count);
  const singles = new Map<number, number[]>();
  const views = new WeakMap<number[], { ids: string[]; approvers: Approvers }>();
  const inOrder = new Uint8Array(count);
  for (const index of structure.order) inOrder[index] = 1;
  const indices = [...structure.order];
  for (let i = 0; i < count; i++) if (!inOrder[i]) indices.push(i);
  const rows: OwnershipEntry[] = [];
  for (const index of indices) {
    const local = structure.locals[index];
    if (!local) continue;
    const upstream = nearestGates(index, structure, guards, singles);
    const view = viewOf(upstream, structure, views);
    const human = local.human ?? null;
    const approve = human?.type === 'approval' ? human : upstream.length === 0 ? none : view.approvers;
    const flow = flows[index];
    const firstPort = flow ? Object.keys(flow.outputs)[0] : undefined;
    const label: Classification = flow
      ? ((firstPort !== undefined ? flow.outputs[firstPort] : undefined) ?? flow.input)
      : 'public';
    rows.push({
      nodeId: local.node.id,
      label: local.node.label,
      kind: local.node.kind,
      owner: local.node.owner,
      trigger,
      approve: { roles: approve.roles, users: approve.users },
      operate,
      audit,
      guardedBy: view.ids,
      human,
      classification: label,
      clearance: flow?.clearance ?? 'restricted',
    });
  }
  return rows;
}

function nearestGates(
  index: number,
  structure: Structure,
  memo: number[][],
  singles: Map<number, number[]>,
): number[] {
  let out = NONE;
  for (const wire of structure.incoming[index] ?? []) {
    let list: number[];
    if (isGate(structure, wire.from)) {
      list = singles.get(wire.from) ?? [wire.from];
      singles.set(wire.from, list);
    } else list = memo[wire.from] ?? NONE;
    if (list === out || list.length === 0) continue;
    if (out.length === 0) {
      out = list;
      continue;
    }
    // Lists are shared between nodes: copy before adding.
    let merged: number[] | undefined;
    for (const gate of list) {
      if (out.includes(gate) || merged?.includes(gate)) continue;
      merged ??= [...out];
      if (merged.length < MAX_GUARDS) merged.push(gate);
    }
    if (merged) out = merged;
  }
  memo[index] = out;
  return out;
}

/** Ids and the union of approvers of a guard list, computed once per (shared) list. */
function viewOf(
  gates: number[],
  structure: Structure,
  views: WeakMap<number[], { ids: string[]; approvers: Approvers }>,
): { ids: string[]; approvers: Approvers } {
  const known = views.get(gates);
  if (known) return known;
  const roles = new Set<Role>();
  const users = new Set<string>();
  const ids: string[] = [];
  for (const gate of gates) {
    const local = structure.locals[gate];
    if (!local) continue;
    ids.push(local.node.id);
    local.human?.roles.forEach((r) => roles.add(r));
    local.human?.users.forEach((u) => users.add(u));
  }
  const view = { ids, approvers: { roles: [...roles], users: [...users] } };
  views.set(gates, view);
  return view;
}
