// The run view's state, folded from the run's events in sequence order: each node's overlay state,
// the run's status and the timeline. Pure: the live client feeds it, tests feed it fixtures.
import type { RunEvent } from '../live/run-event';

/** What a node shows on the canvas while a run goes. */
export type NodeRunState =
  | 'pending'
  | 'ready'
  | 'running'
  | 'waiting'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'cancelled'
  | 'compensated';

export type RunState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface NodeOverlay {
  state: NodeRunState;
  attempt: number;
  /** When the current attempt started (the event's commit time), while running. */
  startedAt: string | null;
  /** Why the node waits (a gate's rule, a human task). */
  waitingReason: string | null;
  /** The last failure's message, when it failed or will retry. */
  error: string | null;
  /** When a failed attempt will be retried. */
  retryAt: string | null;
  /** An operator's rollback of this step is under way (its compensation runs). */
  compensating: boolean;
  /** Why the last compensation failed (the step stays succeeded). */
  compensationError: string | null;
  /** At a waiting gate: distinct approvals on the current payload, and how many are needed. */
  approvals: number | null;
  quorum: number | null;
}

export interface RunOverlay {
  /** The highest sequence number applied; events arrive with seq = lastSeq + 1. */
  lastSeq: number;
  run: RunState;
  runError: string | null;
  nodes: ReadonlyMap<string, NodeOverlay>;
  /** Every applied event, in order, each once. */
  timeline: readonly RunEvent[];
}

/** How an event relates to what was applied so far. */
export type Offer =
  { kind: 'applied'; overlay: RunOverlay } | { kind: 'duplicate' } | { kind: 'gap'; expected: number };

/** A node no event has touched yet. */
export const IDLE_NODE: NodeOverlay = {
  state: 'pending',
  attempt: 0,
  startedAt: null,
  waitingReason: null,
  error: null,
  retryAt: null,
  compensating: false,
  compensationError: null,
  approvals: null,
  quorum: null,
};
const IDLE = IDLE_NODE;

/** The overlay before any event: every node pending. */
export function emptyOverlay(nodeIds: readonly string[]): RunOverlay {
  return {
    lastSeq: 0,
    run: 'pending',
    runError: null,
    nodes: new Map(nodeIds.map((id) => [id, IDLE])),
    timeline: [],
  };
}

/**
 * The node map of one `offer`, copied on its first write: an event that changes no node (a log line,
 * a run event) keeps the previous map, so the canvas and everything keyed on it has nothing to redo.
 */
class NodeChanges {
  private copy: Map<string, NodeOverlay> | null = null;
  constructor(private readonly before: ReadonlyMap<string, NodeOverlay>) {}
  get(id: string): NodeOverlay | undefined {
    return (this.copy ?? this.before).get(id);
  }
  set(id: string, value: NodeOverlay): void {
    this.copy ??= new Map(this.before);
    this.copy.set(id, value);
  }
  result(): ReadonlyMap<string, NodeOverlay> {
    return this.copy ?? this.before;
  }
}

function setNode(nodes: NodeChanges, id: string, change: Partial<NodeOverlay>): void {
  nodes.set(id, { ...(nodes.get(id) ?? IDLE), ...change });
}

/**
 * Applies `event` when it is the next one; reports a duplicate (already applied: drop it) or a gap
 * (something was missed: resubscribe after `lastSeq`) without changing anything. Unknown event types
 * are kept in the timeline and change no node.
 */
export function offer(overlay: RunOverlay, event: RunEvent): Offer {
  if (event.seq <= overlay.lastSeq) return { kind: 'duplicate' };
  if (event.seq !== overlay.lastSeq + 1) return { kind: 'gap', expected: overlay.lastSeq + 1 };
  const nodes = new NodeChanges(overlay.nodes);
  let run = overlay.run;
  let runError = overlay.runError;
  switch (event.type) {
    case 'run.started':
      run = 'running';
      break;
    case 'run.succeeded':
      run = 'succeeded';
      break;
    case 'run.failed':
      run = 'failed';
      runError = event.payload.error.message;
      break;
    case 'run.cancelled':
      run = 'cancelled';
      break;
    case 'steps.settled':
      for (const step of event.payload.steps) {
        setNode(nodes, step.nodeId, {
          state: step.status,
          ...(step.status === 'succeeded' ? { attempt: step.attempt } : {}),
          startedAt: null,
        });
      }
      break;
    case 'step.ready':
      setNode(nodes, event.payload.nodeId, { state: 'ready', attempt: event.payload.attempt });
      break;
    case 'step.started':
      setNode(nodes, event.payload.nodeId, {
        state: 'running',
        attempt: event.payload.attempt,
        startedAt: event.at,
        retryAt: null,
      });
      break;
    case 'step.succeeded':
      setNode(nodes, event.payload.nodeId, { state: 'succeeded', startedAt: null, error: null });
      break;
    case 'step.failed':
      setNode(nodes, event.payload.nodeId, {
        // A failure that will be retried leaves the step ready for its next attempt.
        state: event.payload.willRetry ? 'ready' : 'failed',
        startedAt: null,
        error: event.payload.error.message,
        retryAt: event.payload.retryAt ?? null,
      });
      break;
    case 'step.waiting':
      setNode(nodes, event.payload.nodeId, {
        state: 'waiting',
        startedAt: null,
        waitingReason: event.payload.reason,
        // A new wait (a first one, or a gate asked again after a rerun) starts its tally afresh.
        approvals: null,
        quorum: null,
      });
      break;
    case 'wait.decided':
      if (event.payload.approvals !== undefined && event.payload.quorum !== undefined) {
        setNode(nodes, event.payload.nodeId, {
          approvals: event.payload.approvals,
          quorum: event.payload.quorum,
        });
      }
      break;
    case 'run.rerun':
      // The reset steps start over; the run goes on (its next terminal event comes later).
      run = 'running';
      runError = null;
      for (const nodeId of event.payload.reset) {
        const before = nodes.get(nodeId) ?? IDLE;
        nodes.set(nodeId, { ...IDLE, attempt: before.attempt });
      }
      break;
    case 'step.compensating':
      setNode(nodes, event.payload.nodeId, { compensating: true, compensationError: null });
      break;
    case 'step.compensated':
      setNode(nodes, event.payload.nodeId, { state: 'compensated', compensating: false });
      break;
    case 'step.compensation_failed':
      setNode(nodes, event.payload.nodeId, {
        compensating: false,
        compensationError: event.payload.error.message,
      });
      break;
    case 'step.lease_expired':
      setNode(nodes, event.payload.nodeId, { state: 'ready', startedAt: null });
      break;
    default:
      break;
  }
  return {
    kind: 'applied',
    overlay: {
      lastSeq: event.seq,
      run,
      runError,
      nodes: nodes.result(),
      timeline: [...overlay.timeline, event],
    },
  };
}

/** How far the run is: nodes that reached a final state, of all nodes. */
export function progress(overlay: RunOverlay): { done: number; total: number } {
  let done = 0;
  for (const node of overlay.nodes.values()) {
    if (['succeeded', 'failed', 'skipped', 'cancelled', 'compensated'].includes(node.state)) done += 1;
  }
  return { done, total: overlay.nodes.size };
}

/** Whether data is flowing over an edge: its source has finished and its target is under way. */
export function edgeActive(source: NodeOverlay | undefined, target: NodeOverlay | undefined): boolean {
  return (
    source?.state === 'succeeded' &&
    (target?.state === 'ready' || target?.state === 'running' || target?.state === 'waiting')
  );
}

/** Whether the run has ended. */
export function isFinished(state: RunState | string): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}
