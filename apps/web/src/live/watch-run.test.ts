import { describe, expect, it } from 'vitest';
import type { RunEvent } from './run-event';
import { type RunEventSource, watchRun } from './watch-run';

type Handlers = Parameters<RunEventSource['subscribe']>[1];

function log(seq: number): RunEvent {
  return {
    runId: 'r',
    workspaceId: 'w',
    seq,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    actorId: null,
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
    type: 'step.log',
    payload: { nodeId: 'a', attempt: 1, level: 'info', message: `line ${seq}` },
  };
}

/** A scripted source: records every subscription and lets the test push items to the newest one. */
function scripted() {
  const subscriptions: Array<{ lastEventId: string | null; handlers: Handlers; closed: boolean }> = [];
  const source: RunEventSource = {
    subscribe(input, handlers) {
      const entry = { lastEventId: input.lastEventId, handlers, closed: false };
      subscriptions.push(entry);
      return () => {
        entry.closed = true;
      };
    },
  };
  const push = (event: RunEvent) =>
    subscriptions.at(-1)?.handlers.onData({ id: String(event.seq), data: event });
  return { source, subscriptions, push };
}

const tick = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('watchRun', () => {
  it('delivers each event once, in order, and resubscribes after the last one on a gap', async () => {
    const { source, subscriptions, push } = scripted();
    const seen: number[] = [];
    const statuses: string[] = [];
    const watch = watchRun(source, 'r', 0, {
      onEvent: (event) => seen.push(event.seq),
      onStatus: (status) => statuses.push(status),
    });
    expect(subscriptions[0]?.lastEventId).toBeNull();
    push(log(1));
    push(log(2));
    push(log(2));
    push(log(1));
    push(log(4));
    await tick();
    expect(subscriptions).toHaveLength(2);
    expect(subscriptions[0]?.closed).toBe(true);
    expect(subscriptions[1]?.lastEventId).toBe('2');
    push(log(3));
    push(log(4));
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(watch.lastSeq).toBe(4);
    expect(statuses).toContain('reconnecting');
    watch.stop();
    expect(subscriptions[1]?.closed).toBe(true);
  });

  it('resumes after the last event when the browser comes back online, and ends with the run', async () => {
    const { source, subscriptions, push } = scripted();
    const seen: number[] = [];
    const statuses: string[] = [];
    const watch = watchRun(source, 'r', 0, {
      onEvent: (event) => seen.push(event.seq),
      onStatus: (status) => statuses.push(status),
    });
    push(log(1));
    window.dispatchEvent(new Event('online'));
    expect(subscriptions.map((s) => s.lastEventId)).toEqual([null, '1']);
    push(log(1));
    push({
      ...log(2),
      type: 'run.succeeded',
      payload: { outputHash: 'f'.repeat(64) },
    });
    await tick();
    expect(seen).toEqual([1, 2]);
    expect(statuses.at(-1)).toBe('ended');
    window.dispatchEvent(new Event('online'));
    expect(subscriptions).toHaveLength(2);
    watch.stop();
  });
});
