import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../live/run-event';
import { edgeActive, emptyOverlay, offer, progress, type RunOverlay } from './overlay';

let seq = 0;
function ev<T extends RunEvent['type']>(
  type: T,
  payload: Extract<RunEvent, { type: T }>['payload'],
): RunEvent {
  seq += 1;
  const event = {
    runId: 'r',
    workspaceId: 'w',
    seq,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    actorId: null,
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
    type,
    payload,
  };
  return event as RunEvent;
}

function fold(events: RunEvent[], nodes = ['t', 'a', 'b', 'o']): RunOverlay {
  let overlay = emptyOverlay(nodes);
  for (const event of events) {
    const result = offer(overlay, event);
    if (result.kind !== 'applied') throw new Error(`${result.kind} at ${event.seq}`);
    overlay = result.overlay;
  }
  return overlay;
}

const hash = 'a'.repeat(64);

describe('the run overlay', () => {
  it('follows nodes through ready, running, retry, waiting and settled states', () => {
    seq = 0;
    const events = [
      ev('run.started', {
        workflowId: 'wf',
        workflowVersionId: 'v',
        version: 1,
        inputHash: hash,
        runKey: null,
        parentRunId: null,
      }),
      ev('steps.settled', {
        steps: [{ status: 'succeeded', nodeId: 't', attempt: 1, outputHash: hash, ports: ['out'] }],
      }),
      ev('step.ready', { nodeId: 'a', attempt: 1, availableAt: new Date().toISOString() }),
    ];
    let overlay = fold(events);
    expect(overlay.run).toBe('running');
    expect(overlay.nodes.get('t')?.state).toBe('succeeded');
    expect(overlay.nodes.get('a')?.state).toBe('ready');
    expect(edgeActive(overlay.nodes.get('t'), overlay.nodes.get('a'))).toBe(true);

    const more = [
      ev('step.started', { nodeId: 'a', attempt: 1, worker: 'w' }),
      ev('step.failed', { nodeId: 'a', attempt: 1, error: { code: 'X', message: 'flaky' }, willRetry: true }),
      ev('step.started', { nodeId: 'a', attempt: 2, worker: 'w' }),
    ];
    overlay = fold([...events, ...more]);
    expect(overlay.nodes.get('a')).toMatchObject({ state: 'running', attempt: 2, error: 'flaky' });
    expect(overlay.nodes.get('a')?.startedAt).toBe(more[2]?.at);

    const end = [
      ev('step.succeeded', { nodeId: 'a', attempt: 2, outputHash: hash, ports: ['out'], durationMs: 3 }),
      ev('step.waiting', { nodeId: 'b', reason: 'Refunds over $100 need a reviewer' }),
      ev('run.cancelled', { reason: null }),
      ev('steps.settled', {
        steps: [
          { status: 'cancelled', nodeId: 'b' },
          { status: 'skipped', nodeId: 'o' },
        ],
      }),
    ];
    overlay = fold([...events, ...more, ...end]);
    expect([...overlay.nodes].map(([id, n]) => [id, n.state])).toEqual([
      ['t', 'succeeded'],
      ['a', 'succeeded'],
      ['b', 'cancelled'],
      ['o', 'skipped'],
    ]);
    expect(overlay.run).toBe('cancelled');
    expect(progress(overlay)).toEqual({ done: 4, total: 4 });
    expect(overlay.timeline.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('refuses duplicates and gaps without changing anything', () => {
    seq = 0;
    const first = ev('step.ready', { nodeId: 'a', attempt: 1, availableAt: new Date().toISOString() });
    const overlay = fold([first]);
    expect(offer(overlay, first)).toEqual({ kind: 'duplicate' });
    seq = 5;
    const far = ev('step.started', { nodeId: 'a', attempt: 1, worker: 'w' });
    expect(offer(overlay, far)).toEqual({ kind: 'gap', expected: 2 });
    expect(overlay.timeline).toHaveLength(1);
  });

  it('keeps the node map of events that change no node, and never changes a map it was given', () => {
    seq = 0;
    const started = fold([ev('step.started', { nodeId: 'a', attempt: 1, worker: 'w' })]);
    const logged = offer(
      started,
      ev('step.log', { nodeId: 'a', attempt: 1, level: 'info', message: 'GET → 200' }),
    );
    if (logged.kind !== 'applied') throw new Error(logged.kind);
    expect(logged.overlay.nodes).toBe(started.nodes);
    expect(logged.overlay.timeline).toHaveLength(2);
    const done = offer(
      logged.overlay,
      ev('step.succeeded', { nodeId: 'a', attempt: 1, durationMs: 5, outputHash: hash, ports: ['out'] }),
    );
    if (done.kind !== 'applied') throw new Error(done.kind);
    expect(done.overlay.nodes).not.toBe(started.nodes);
    expect(done.overlay.nodes.get('a')?.state).toBe('succeeded');
    expect(started.nodes.get('a')?.state).toBe('running');
    // Nodes the event did not touch keep their objects, so the canvas redraws only the changed one.
    expect(done.overlay.nodes.get('b')).toBe(started.nodes.get('b'));
  });

  it('keeps event types it does not know in the timeline', () => {
    const overlay = emptyOverlay(['a']);
    const unknown = {
      ...ev('step.ready', { nodeId: 'a', attempt: 1, availableAt: new Date().toISOString() }),
      seq: 1,
    };
    const result = offer(overlay, { ...unknown, type: 'gate.decided' } as unknown as RunEvent);
    expect(result.kind === 'applied' && result.overlay.timeline.length).toBe(1);
    expect(result.kind === 'applied' && result.overlay.nodes.get('a')?.state).toBe('pending');
  });

  it('shows a rollback under way, its end, and a failed one', () => {
    seq = 0;
    const settled = ev('steps.settled', {
      steps: [{ status: 'succeeded', nodeId: 'a', attempt: 1, outputHash: hash, ports: ['out'] }],
    });
    const compensating = ev('step.compensating', { nodeId: 'a', attempt: 1 });
    let overlay = fold([settled, compensating]);
    expect(overlay.nodes.get('a')).toMatchObject({ state: 'succeeded', compensating: true });
    const failed = ev('step.compensation_failed', {
      nodeId: 'a',
      attempt: 1,
      error: { code: 'HTTP_500', message: 'the undo call failed' },
    });
    overlay = fold([settled, compensating, failed]);
    expect(overlay.nodes.get('a')).toMatchObject({
      state: 'succeeded',
      compensating: false,
      compensationError: 'the undo call failed',
    });
    const again = ev('step.compensating', { nodeId: 'a', attempt: 1 });
    const done = ev('step.compensated', { nodeId: 'a', attempt: 1, outputHash: hash, durationMs: 4 });
    overlay = fold([settled, compensating, failed, again, done]);
    expect(overlay.nodes.get('a')).toMatchObject({
      state: 'compensated',
      compensating: false,
      compensationError: null,
    });
    expect(progress(overlay).done).toBe(1);
  });

  it('a rerun puts the reset steps back to pending and the run back to running', () => {
    seq = 0;
    const events = [
      ev('steps.settled', {
        steps: [{ status: 'succeeded', nodeId: 't', attempt: 1, outputHash: hash, ports: ['out'] }],
      }),
      ev('step.started', { nodeId: 'a', attempt: 1, worker: 'w' }),
      ev('step.succeeded', { nodeId: 'a', attempt: 1, outputHash: hash, ports: ['out'], durationMs: 1 }),
      ev('step.started', { nodeId: 'b', attempt: 1, worker: 'w' }),
      ev('step.failed', { nodeId: 'b', attempt: 1, error: { code: 'X', message: 'down' }, willRetry: false }),
      ev('run.failed', { error: { code: 'X', message: 'b failed' } }),
      ev('steps.settled', { steps: [{ status: 'cancelled', nodeId: 'o' }] }),
      ev('run.rerun', { fromNodeId: 'b', reason: 'fixed the API key', reset: ['b', 'o'] }),
    ];
    const overlay = fold(events);
    expect(overlay.run).toBe('running');
    expect(overlay.runError).toBeNull();
    expect(overlay.nodes.get('a')?.state).toBe('succeeded');
    expect(overlay.nodes.get('b')).toMatchObject({ state: 'pending', error: null, attempt: 1 });
    expect(overlay.nodes.get('o')?.state).toBe('pending');
  });

  it('tallies approvals at a waiting gate and starts over when it waits again', () => {
    seq = 0;
    const waiting = ev('step.waiting', { nodeId: 'b', reason: 'two approvers', kind: 'gate' });
    const decided = ev('wait.decided', {
      nodeId: 'b',
      attempt: 1,
      kind: 'gate',
      decision: 'approve',
      userId: 'u1',
      via: { type: 'user', id: 'u1' },
      payloadHash: hash,
      approvals: 1,
      quorum: 2,
    });
    let overlay = fold([waiting, decided]);
    expect(overlay.nodes.get('b')).toMatchObject({ state: 'waiting', approvals: 1, quorum: 2 });
    const again = ev('step.waiting', { nodeId: 'b', reason: 'two approvers', kind: 'gate' });
    overlay = fold([waiting, decided, again]);
    expect(overlay.nodes.get('b')).toMatchObject({ approvals: null, quorum: null });
  });
});
