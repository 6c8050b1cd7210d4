// Paces live events onto the screen: everything that arrived is applied in the next animation frame,
// except that a node changing state twice waits for the following frame, so that every state a node
// passes through (running before succeeded) is drawn at least once, however fast the run goes.
import type { RunEvent } from './run-event';

/** The nodes whose overlay an event changes. */
export function nodesOf(event: RunEvent): string[] {
  switch (event.type) {
    case 'steps.settled':
      return event.payload.steps.map((step) => step.nodeId);
    case 'step.ready':
    case 'step.started':
    case 'step.succeeded':
    case 'step.failed':
    case 'step.waiting':
    case 'step.lease_expired':
      return [event.payload.nodeId];
    default:
      return [];
  }
}

/**
 * Splits `queue` into what one frame shows and what waits: events are taken in order until one
 * touches a node already changed in this frame. At least one event is always taken.
 */
export function takeFrame(queue: readonly RunEvent[]): { now: RunEvent[]; later: RunEvent[] } {
  const touched = new Set<string>();
  let index = 0;
  for (; index < queue.length; index += 1) {
    const event = queue[index];
    if (!event) break;
    const nodes = nodesOf(event);
    if (index > 0 && nodes.some((node) => touched.has(node))) break;
    for (const node of nodes) touched.add(node);
  }
  return { now: queue.slice(0, index), later: queue.slice(index) };
}
