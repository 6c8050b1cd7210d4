import type { NodeRunState, RunState } from './overlay';

const RUN_LABELS: Record<string, string> = {
  pending: 'Pending',
  running: 'Running',
  waiting: 'Waiting',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  cancelling: 'Cancelling',
};

/** A run's or a step's status as a word with a coloured dot; the word carries the meaning. */
export function StatusBadge({ status }: { status: RunState | NodeRunState | string }) {
  return (
    <span className="sl-run-status" data-status={status}>
      {RUN_LABELS[status] ?? stateLabel(status)}
    </span>
  );
}

/** `waiting` → `Waiting for approval`, etc.: how a node state reads on the canvas. */
export function stateLabel(state: string): string {
  switch (state) {
    case 'waiting':
      return 'Waiting for approval';
    case 'compensated':
      return 'Rolled back';
    default:
      return state.charAt(0).toUpperCase() + state.slice(1);
  }
}
