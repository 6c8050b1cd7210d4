// What an operator may do to a step of a run, and what it would touch: which actions a step offers
// (retry, rerun from here, roll back) and which steps a rerun starts again, mirroring the engine's
// rule (packages/engine/src/systems/rerun.ts) so the confirm dialog can say exactly what will happen.
// Pure: the run view feeds it the graph and the live overlay.
import type { EditorGraph } from '../api/contract';
import { isFinished, type NodeRunState } from './overlay';

/** Kinds the engine runs inline, without side effects: nothing to roll back. */
export const PURE_KINDS: ReadonlySet<string> = new Set(['trigger', 'transform', 'branch', 'output']);

const SETTLED: ReadonlySet<NodeRunState> = new Set([
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
  'compensated',
]);

export interface StepActions {
  /** A failed step of a finished run: run it again (and what follows). */
  retry: boolean;
  /** Any settled step of a finished run other than the trigger. */
  rerun: boolean;
  /** A succeeded step of a kind with side effects (whether it is reversible, the plan says). */
  rollback: boolean;
}

/**
 * The actions a step offers an operator.
 *
 * @example
 * stepActions({ kind: 'http', state: 'failed', runState: 'failed' }) // { retry: true, rerun: false, rollback: false }
 */
export function stepActions(step: { kind: string; state: NodeRunState; runState: string }): StepActions {
  const finished = isFinished(step.runState);
  const rerunnable = finished && step.kind !== 'trigger' && SETTLED.has(step.state);
  return {
    retry: rerunnable && step.state === 'failed',
    rerun: rerunnable && step.state !== 'failed',
    rollback: step.state === 'succeeded' && !PURE_KINDS.has(step.kind),
  };
}

/**
 * The steps a rerun from `nodeId` starts again, in graph order: the step, everything downstream of
 * it, and every failed or cancelled step with everything downstream of that.
 */
export function rerunScope(
  graph: EditorGraph,
  states: ReadonlyMap<string, { state: NodeRunState }>,
  nodeId: string,
): string[] {
  const outgoing = new Map<string, string[]>();
  for (const edge of graph.edges) {
    outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge.target]);
  }
  const reset = new Set<string>();
  const visit = (id: string) => {
    if (reset.has(id)) return;
    reset.add(id);
    for (const next of outgoing.get(id) ?? []) visit(next);
  };
  visit(nodeId);
  for (const node of graph.nodes) {
    const state = states.get(node.id)?.state;
    if (state === 'failed' || state === 'cancelled') visit(node.id);
  }
  return graph.nodes.filter((node) => reset.has(node.id)).map((node) => node.id);
}
