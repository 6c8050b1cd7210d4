import { describe, expect, it } from 'vitest';
import { takeFrame } from './frame-batch';
import type { RunEvent } from './run-event';

function step(seq: number, type: 'step.started' | 'step.log', nodeId: string): RunEvent {
  const base = {
    runId: 'r',
    workspaceId: 'w',
    seq,
    at: new Date(Date.UTC(2026, 0, 1)).toISOString(),
    actorId: null,
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
  };
  return type === 'step.started'
    ? { ...base, type, payload: { nodeId, attempt: 1, worker: 'w' } }
    : { ...base, type, payload: { nodeId, attempt: 1, level: 'info', message: 'x' } };
}

describe('takeFrame', () => {
  it('takes events until a node would change twice in one frame', () => {
    const queue = [
      step(1, 'step.started', 'a'),
      step(2, 'step.log', 'a'),
      step(3, 'step.started', 'b'),
      step(4, 'step.started', 'a'),
      step(5, 'step.started', 'c'),
    ];
    const first = takeFrame(queue);
    expect(first.now.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(takeFrame(first.later).now.map((e) => e.seq)).toEqual([4, 5]);
  });

  it('always takes at least one event, and nothing from an empty queue', () => {
    expect(takeFrame([step(1, 'step.started', 'a')]).now).toHaveLength(1);
    expect(takeFrame([])).toEqual({ now: [], later: [] });
  });
});
