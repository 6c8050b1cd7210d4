import { type Diagnostic, diagnostic } from '../diagnostics.js';
import type { NodeLocal } from './node-local.js';
import type { Wire } from './structure.js';

/** Kahn's algorithm over node indices: acyclic nodes in topological order, document order first. */
export function topologicalOrder(
  count: number,
  incoming: readonly Wire[][],
  outgoing: readonly Wire[][],
): number[] {
  const indegree = new Int32Array(count);
  const order: number[] = [];
  for (let i = 0; i < count; i++) {
    indegree[i] = incoming[i]?.length ?? 0;
    if (indegree[i] === 0) order.push(i);
  }
  for (let head = 0; head < order.length; head++) {
    const node = order[head] ?? 0;
    for (const wire of outgoing[node] ?? []) {
      const left = (indegree[wire.to] ?? 0) - 1;
      indegree[wire.to] = left;
      if (left === 0) order.push(wire.to);
    }
  }
  return order;
}

/** Nodes reachable from `start` (an index, -1 for none) along the wires. */
export function reachableFrom(start: number, count: number, outgoing: readonly Wire[][]): Uint8Array {
  const seen = new Uint8Array(count);
  if (start < 0) return seen;
  const stack = [start];
  seen[start] = 1;
  while (stack.length > 0) {
    const node = stack.pop() ?? 0;
    for (const wire of outgoing[node] ?? []) {
      if (seen[wire.to]) continue;
      seen[wire.to] = 1;
      stack.push(wire.to);
    }
  }
  return seen;
}

/**
 * One SL105 per cycle among the nodes the topological order left out. Nodes only downstream of a
 * cycle are pruned first, so every remaining node has a successor that remains: walking forward from
 * any of them must close a cycle.
 */
export function reportCycles(
  locals: readonly NodeLocal[],
  order: readonly number[],
  incoming: readonly Wire[][],
  outgoing: readonly Wire[][],
  diags: Diagnostic[],
): void {
  const count = locals.length;
  if (order.length === count) return;
  const done = new Uint8Array(count);
  for (const node of order) done[node] = 1;
  pruneDownstreamOfCycles(count, done, incoming, outgoing);
  const reported = new Uint8Array(count);
  for (let start = 0; start < count; start++) {
    if (done[start] || reported[start]) continue;
    const path: number[] = [];
    const position = new Map<number, number>();
    let current: number | undefined = start;
    while (current !== undefined && !position.has(current)) {
      position.set(current, path.length);
      path.push(current);
      current = (outgoing[current] ?? []).find((w) => !done[w.to])?.to;
    }
    if (current === undefined) continue;
    const cycle = path.slice(position.get(current));
    const seenBefore = cycle.some((n) => reported[n]);
    for (const n of path) reported[n] = 1;
    if (seenBefore) continue;
    const first = cycle[0] ?? start;
    const last = cycle[cycle.length - 1] ?? first;
    const closing = (outgoing[last] ?? []).find((w) => w.to === first);
    const ids = cycle.map((n) => locals[n]?.node.id ?? '?');
    const shown = ids.length > 8 ? [...ids.slice(0, 8), '…'] : ids;
    const firstId = locals[first]?.node.id ?? '?';
    diags.push(
      diagnostic('SL105', `a cycle: ${[...shown, firstId].join(' → ')}`, {
        nodeId: firstId,
        ...(closing ? { edgeId: closing.id } : {}),
        hint: 'workflows run forward only; remove one of these edges',
      }),
    );
  }
}

function pruneDownstreamOfCycles(
  count: number,
  done: Uint8Array,
  incoming: readonly Wire[][],
  outgoing: readonly Wire[][],
): void {
  const outdegree = new Int32Array(count);
  const queue: number[] = [];
  for (let node = 0; node < count; node++) {
    if (done[node]) continue;
    let degree = 0;
    for (const wire of outgoing[node] ?? []) if (!done[wire.to]) degree++;
    outdegree[node] = degree;
    if (degree === 0) queue.push(node);
  }
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] ?? 0;
    done[node] = 1;
    for (const wire of incoming[node] ?? []) {
      if (done[wire.from]) continue;
      const left = (outdegree[wire.from] ?? 0) - 1;
      outdegree[wire.from] = left;
      if (left === 0) queue.push(wire.from);
    }
  }
}
