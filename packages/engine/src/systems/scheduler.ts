// Scheduling, pure: which steps become ready or skipped when others settle, and how a run stands.
//
// An edge is `pending` until its upstream step settles; then it carries `data` when that step
// succeeded and took the edge's port, and is `skipped` otherwise (untaken branch, skipped or
// cancelled upstream). A node is ready once every incoming edge is resolved and at least one
// carries data; when all are resolved and none carries data it is skipped, and the skip propagates.
import type { PlanEdge, PlanNode } from '../plan.js';
import { type StepStatus, TERMINAL_STEP_STATUSES } from '../store.js';

export type EdgeState = 'pending' | 'data' | 'skipped';
export type Readiness = 'waiting' | 'ready' | 'skip';
export type RunOutcome = 'running' | 'waiting' | 'succeeded' | 'failed';

/** What the scheduler needs to know of the steps of one run. */
export interface StepView {
  status(nodeId: string): StepStatus;
  /** The ports a succeeded step took. */
  ports(nodeId: string): readonly string[];
}

export interface PlanGraph {
  nodes: ReadonlyMap<string, PlanNode>;
  order: readonly PlanNode[];
}

/**
 * @example
 * edgeState({ from: 'route', fromPort: 'refund', to: 'pay', toPort: 'in' }, view); // 'skipped' if route took 'other'
 */
export function edgeState(edge: PlanEdge, view: StepView): EdgeState {
  const status = view.status(edge.from);
  if (status === 'succeeded' || status === 'compensated') {
    return view.ports(edge.from).includes(edge.fromPort) ? 'data' : 'skipped';
  }
  if (status === 'skipped' || status === 'cancelled' || status === 'failed') return 'skipped';
  return 'pending';
}

/** Whether a pending node may run now, must be skipped, or waits for upstream steps. */
export function readiness(node: PlanNode, view: StepView): Readiness {
  let data = false;
  for (const edge of node.incoming) {
    const state = edgeState(edge, view);
    if (state === 'pending') return 'waiting';
    if (state === 'data') data = true;
  }
  return data ? 'ready' : 'skip';
}

/**
 * The consequences of steps settling: the successors that became ready (to run next) and those
 * skipped, with skips propagated as far as they go. Ready nodes are not run here, so their own
 * successors are untouched until they settle.
 *
 * @example
 * const { ready, skipped } = settle(plan, view, ['route']);
 */
export function settle(
  plan: PlanGraph,
  view: StepView,
  settled: Iterable<string>,
): { ready: PlanNode[]; skipped: PlanNode[] } {
  const overlay = new SkipOverlay(view);
  const ready: PlanNode[] = [];
  const skipped: PlanNode[] = [];
  const queue = [...settled];
  for (let i = 0; i < queue.length; i++) {
    const node = plan.nodes.get(queue[i] ?? '');
    if (!node) continue;
    for (const edge of node.outgoing) {
      if (overlay.decided.has(edge.to)) continue;
      const target = plan.nodes.get(edge.to);
      if (!target || overlay.status(target.id) !== 'pending') continue;
      const verdict = readiness(target, overlay);
      if (verdict === 'waiting') continue;
      overlay.decided.add(target.id);
      if (verdict === 'ready') {
        ready.push(target);
      } else {
        overlay.skipped.add(target.id);
        skipped.push(target);
        queue.push(target.id);
      }
    }
  }
  return { ready, skipped };
}

/** The view with this settle's skips applied (a class, not closures: settle runs once per step). */
class SkipOverlay implements StepView {
  readonly skipped = new Set<string>();
  readonly decided = new Set<string>();
  constructor(private readonly view: StepView) {}
  status(id: string): StepStatus {
    return this.skipped.has(id) ? 'skipped' : this.view.status(id);
  }
  ports(id: string): readonly string[] {
    return this.view.ports(id);
  }
}

/**
 * How a run stands given its steps: failed as soon as one step failed for good, succeeded once every
 * step settled, waiting when steps wait for people and nothing else can move (no step is ready or
 * running; the pending ones are behind the waiting ones), running otherwise.
 */
export function runOutcome(plan: PlanGraph, view: StepView): RunOutcome {
  let unsettled = 0;
  let waiting = 0;
  let active = 0;
  for (const node of plan.order) {
    const status = view.status(node.id);
    if (status === 'failed') return 'failed';
    if (!TERMINAL_STEP_STATUSES.has(status)) {
      unsettled++;
      if (status === 'waiting') waiting++;
      else if (status === 'ready' || status === 'running') active++;
    }
  }
  if (unsettled === 0) return 'succeeded';
  return waiting > 0 && active === 0 ? 'waiting' : 'running';
}
