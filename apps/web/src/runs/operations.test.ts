import { describe, expect, it } from 'vitest';
import type { EditorGraph } from '../api/contract';
import { rerunScope, stepActions } from './operations';
import type { NodeRunState } from './overlay';

const node = (id: string, kind: string) => ({
  id,
  kind,
  typeVersion: 1,
  label: id,
  owner: 'ops',
  position: { x: 0, y: 0 },
  config: {},
});

/** t → a → b → o, and a → c (a side branch). */
const graph = {
  graphVersion: 1,
  metadata: { name: 'w', description: '', ownerTeam: 'ops' },
  nodes: [
    node('t', 'trigger'),
    node('a', 'http'),
    node('b', 'http'),
    node('c', 'transform'),
    node('o', 'output'),
  ],
  edges: [
    { id: 'e1', source: 't', target: 'a' },
    { id: 'e2', source: 'a', target: 'b' },
    { id: 'e3', source: 'b', target: 'o' },
    { id: 'e4', source: 'a', target: 'c' },
  ],
} as unknown as EditorGraph;

const states = (entries: Record<string, NodeRunState>) =>
  new Map(Object.entries(entries).map(([id, state]) => [id, { state }]));

describe('operator actions on a step', () => {
  it('offers retry on a failed step and rerun on other settled steps, only once the run finished', () => {
    expect(stepActions({ kind: 'http', state: 'failed', runState: 'failed' })).toEqual({
      retry: true,
      rerun: false,
      rollback: false,
    });
    expect(stepActions({ kind: 'http', state: 'succeeded', runState: 'failed' })).toEqual({
      retry: false,
      rerun: true,
      rollback: true,
    });
    expect(stepActions({ kind: 'http', state: 'succeeded', runState: 'running' })).toEqual({
      retry: false,
      rerun: false,
      rollback: true,
    });
    expect(stepActions({ kind: 'trigger', state: 'succeeded', runState: 'succeeded' })).toEqual({
      retry: false,
      rerun: false,
      rollback: false,
    });
    expect(stepActions({ kind: 'transform', state: 'succeeded', runState: 'succeeded' }).rollback).toBe(
      false,
    );
    expect(stepActions({ kind: 'http', state: 'running', runState: 'running' })).toEqual({
      retry: false,
      rerun: false,
      rollback: false,
    });
  });

  it('a rerun starts the step and everything downstream again, in graph order', () => {
    const done = states({ t: 'succeeded', a: 'succeeded', b: 'succeeded', c: 'succeeded', o: 'succeeded' });
    expect(rerunScope(graph, done, 'b')).toEqual(['b', 'o']);
    expect(rerunScope(graph, done, 'a')).toEqual(['a', 'b', 'c', 'o']);
  });

  it('a rerun also takes what the failure left unsettled', () => {
    const failed = states({ t: 'succeeded', a: 'succeeded', b: 'failed', c: 'succeeded', o: 'cancelled' });
    expect(rerunScope(graph, failed, 'c')).toEqual(['b', 'c', 'o']);
  });
});
