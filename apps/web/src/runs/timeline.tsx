// The run's events beside the canvas, oldest first, one entry per event (by sequence number).
import { memo, useEffect, useRef } from 'react';
import { fullDate } from '../format';
import './timeline.css';
import type { RunEvent } from '../live/run-event';
import { useThrottled } from '../live/use-throttled';

/**
 * How often the timeline takes new entries while events stream in. The canvas shows every state as
 * it happens; the list, hundreds of entries long, is laid out again on each change, which at one
 * change per frame was most of the run view's frame time.
 */
export const TIMELINE_REFRESH_MS = 250;

/** One line describing an event, in words. */
export function describeEvent(event: RunEvent, labelOf: (nodeId: string) => string): string {
  switch (event.type) {
    case 'run.started':
      return `Run started on version ${event.payload.version}`;
    case 'run.succeeded':
      return 'Run succeeded';
    case 'run.failed':
      return `Run failed: ${event.payload.error.message}`;
    case 'run.cancelled':
      return event.payload.reason ? `Run cancelled: ${event.payload.reason}` : 'Run cancelled';
    case 'steps.settled':
      return event.payload.steps.map((step) => `${labelOf(step.nodeId)} ${step.status}`).join(' · ');
    case 'step.ready':
      return `${labelOf(event.payload.nodeId)} ready${event.payload.attempt > 1 ? ` (attempt ${event.payload.attempt})` : ''}`;
    case 'step.started':
      return `${labelOf(event.payload.nodeId)} started (attempt ${event.payload.attempt})`;
    case 'step.succeeded':
      return `${labelOf(event.payload.nodeId)} succeeded in ${Math.round(event.payload.durationMs)} ms`;
    case 'step.failed':
      return `${labelOf(event.payload.nodeId)} failed: ${event.payload.error.message}${event.payload.willRetry ? ' (will retry)' : ''}`;
    case 'step.waiting':
      return `${labelOf(event.payload.nodeId)} waiting: ${event.payload.reason}`;
    case 'step.log':
      return `${labelOf(event.payload.nodeId)} [${event.payload.level}] ${event.payload.message}`;
    case 'run.rerun': {
      const reset = event.payload.reset.map(labelOf).join(', ');
      return `Rerun from ${labelOf(event.payload.fromNodeId)}${event.payload.reason ? ` (${event.payload.reason})` : ''}: ${reset} start again`;
    }
    case 'step.compensating':
      return `${labelOf(event.payload.nodeId)}: rolling back (its compensation runs)`;
    case 'step.compensated':
      return `${labelOf(event.payload.nodeId)} compensated in ${Math.round(event.payload.durationMs)} ms: its effect is undone`;
    case 'step.compensation_failed':
      return `${labelOf(event.payload.nodeId)}: rollback failed: ${event.payload.error.message}`;
    case 'wait.decided': {
      const verb =
        event.payload.decision === 'approve'
          ? 'approved'
          : event.payload.decision === 'reject'
            ? 'rejected'
            : 'answered';
      const tally =
        event.payload.approvals !== undefined && event.payload.quorum !== undefined
          ? ` (${event.payload.approvals} of ${event.payload.quorum})`
          : '';
      return `${labelOf(event.payload.nodeId)} ${verb}${tally}${event.payload.outcome ? `: ${event.payload.outcome}` : ''}`;
    }
    case 'step.lease_expired':
      return `${labelOf(event.payload.nodeId)}: its worker stopped answering; the step is ready again`;
    default: {
      // A type this build does not know yet (a newer server): its name is still worth showing.
      const other: { type: string } = event;
      return other.type;
    }
  }
}

const timeOnly = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/**
 * One entry. Memoised: an event never changes once applied, so a new event renders its own entry
 * only, not every entry before it (hundreds in a long run, each formatted anew).
 */
const TimelineItem = memo(function TimelineItem({
  event,
  labelOf,
}: {
  event: RunEvent;
  labelOf: (nodeId: string) => string;
}) {
  return (
    <li className="sl-timeline__item" data-type={event.type} data-seq={event.seq}>
      <span className="sl-timeline__seq">#{event.seq}</span>
      <time className="sl-timeline__time" dateTime={event.at} title={fullDate(event.at)}>
        {timeOnly.format(Date.parse(event.at))}
      </time>
      <span className="sl-timeline__text">{describeEvent(event, labelOf)}</span>
    </li>
  );
});

/** The event list; it follows new events unless the reader has scrolled up. */
export function Timeline({
  events: live,
  labelOf,
}: {
  events: readonly RunEvent[];
  labelOf: (nodeId: string) => string;
}) {
  // A run's final event is shown with the final state on the canvas, never a moment after.
  const final = live.at(-1)?.type;
  const events = useThrottled(
    live,
    TIMELINE_REFRESH_MS,
    final === 'run.succeeded' || final === 'run.failed' || final === 'run.cancelled',
  );
  const list = useRef<HTMLOListElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const element = list.current;
    if (element && pinned.current) element.scrollTop = element.scrollHeight;
  }, [events.length]);
  return (
    <section className="sl-timeline" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" className="sl-panel-title">
        Timeline <span className="sl-count">{events.length}</span>
      </h2>
      <ol
        ref={list}
        className="sl-timeline__list"
        aria-label="Run events"
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {events.map((event) => (
          <TimelineItem key={event.seq} event={event} labelOf={labelOf} />
        ))}
      </ol>
    </section>
  );
}
