// Live chunks: filtered by node and by what the caller may read, in order, ending with the signal.
import type { LiveChunk, LiveListener } from '@sluice/engine';
import { describe, expect, it } from 'vitest';
import { hasLive, liveChunks } from './run-live';

/** An engine's live side: listeners by run, and a way to emit. */
function liveSource() {
  const listeners = new Map<string, Set<LiveListener>>();
  return {
    onLive(runId: string, listener: LiveListener) {
      const set = listeners.get(runId) ?? new Set();
      listeners.set(runId, set.add(listener));
      return () => set.delete(listener);
    },
    emit(chunk: LiveChunk) {
      for (const listener of listeners.get(chunk.runId) ?? []) listener(chunk);
    },
    count: (runId: string) => listeners.get(runId)?.size ?? 0,
  };
}

const text = (runId: string, nodeId: string, delta: string): LiveChunk => ({
  runId,
  nodeId,
  attempt: 1,
  chunk: { kind: 'text', delta },
});

describe('liveChunks', () => {
  it('passes on the chosen node’s readable chunks in order, and stops listening when aborted', async () => {
    const source = liveSource();
    const controller = new AbortController();
    const stream = liveChunks(source, 'r1', {
      nodeId: 'classify',
      mayRead: (nodeId) => nodeId !== 'secret',
      signal: controller.signal,
    });
    const first = stream.next();
    source.emit(text('r1', 'other', 'no'));
    source.emit(text('r2', 'classify', 'other run'));
    source.emit(text('r1', 'classify', 'Hello'));
    source.emit(text('r1', 'classify', ' world'));
    source.emit({ runId: 'r1', nodeId: 'classify', attempt: 1, chunk: { kind: 'status', message: 'done' } });
    expect((await first).value).toEqual({ nodeId: 'classify', attempt: 1, kind: 'text', text: 'Hello' });
    expect((await stream.next()).value).toMatchObject({ text: ' world' });
    expect((await stream.next()).value).toMatchObject({ kind: 'status', text: 'done' });
    const ended = stream.next();
    controller.abort();
    expect(await ended).toEqual({ value: undefined, done: true });
    expect(source.count('r1')).toBe(0);
  });

  it('sends nothing of a node the caller may not read', async () => {
    const source = liveSource();
    const controller = new AbortController();
    const stream = liveChunks(source, 'r1', {
      mayRead: (nodeId) => nodeId !== 'secret',
      signal: controller.signal,
    });
    const next = stream.next();
    source.emit(text('r1', 'secret', 'hidden'));
    source.emit(text('r1', 'open', 'shown'));
    expect((await next).value).toMatchObject({ nodeId: 'open', text: 'shown' });
    controller.abort();
  });

  it('tells engines with live news from stand-ins without', () => {
    const base = { startRun: async () => never(), cancelRun: async () => never(), subscribe: () => never() };
    expect(hasLive(base)).toBe(false);
    const withLive = { ...base, onLive: liveSource().onLive };
    expect(hasLive(withLive)).toBe(true);
  });
});

function never(): never {
  throw new Error('not called');
}
