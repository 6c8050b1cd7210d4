import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { PlanEdge, PlanNode } from '../plan.js';
import type { StepStatus } from '../store.js';
import { edgeState, type PlanGraph, readiness, runOutcome, settle, type StepView } from './scheduler.js';

interface Shape {
  /** Per node after the trigger: its upstream links as [upstream index, port index]. */
  links: Array<Array<[number, number]>>;
  /** Per node: the ports it takes when it succeeds, as a bit mask over its two ports. */
  takes: number[];
}

function node(id: string, index: number): PlanNode {
  return {
    id,
    kind: 'transform',
    index,
    config: {},
    incoming: [],
    outgoing: [],
    ports: ['p0', 'p1'],
    executor: undefined,
    known: true,
    pure: true,
    types: {},
    timeoutMs: undefined,
    retry: undefined,
    isOutput: false,
    gatesUpstream: [],
    sealed: false,
  };
}

function graphOf(shape: Shape): PlanGraph {
  const order = [node('n0', 0), ...shape.links.map((_, i) => node(`n${i + 1}`, i + 1))];
  shape.links.forEach((links, i) => {
    const target = order[i + 1];
    const seen = new Set<string>();
    for (const [from, port] of links) {
      const source = order[from % (i + 1)];
      if (!source || !target) continue;
      const edge: PlanEdge = { from: source.id, fromPort: `p${port}`, to: target.id, toPort: 'in' };
      const key = `${edge.from}.${edge.fromPort}`;
      if (seen.has(key)) continue;
      seen.add(key);
      source.outgoing.push(edge);
      target.incoming.push(edge);
    }
  });
  return { nodes: new Map(order.map((n) => [n.id, n])), order };
}

function portsTaken(shape: Shape, index: number): string[] {
  const mask = shape.takes[index] ?? 3;
  return ['p0', 'p1'].filter((_, bit) => (mask & (1 << bit)) !== 0);
}

/** Runs a whole run: steps complete in the order `picks` chooses among the ready ones. */
function simulate(graph: PlanGraph, shape: Shape, picks: number[]) {
  const status = new Map<string, StepStatus>(graph.order.map((n) => [n.id, 'pending']));
  const ports = new Map<string, string[]>();
  const view: StepView = { status: (id) => status.get(id) ?? 'pending', ports: (id) => ports.get(id) ?? [] };
  const ready: PlanNode[] = [];
  const readied: string[] = [];
  const complete = (n: PlanNode) => {
    status.set(n.id, 'succeeded');
    ports.set(n.id, portsTaken(shape, n.index));
    const next = settle(graph, view, [n.id]);
    for (const s of next.skipped) {
      expect(status.get(s.id)).toBe('pending');
      expect(s.incoming.every((e) => edgeState(e, view) !== 'data')).toBe(true);
      status.set(s.id, 'skipped');
    }
    for (const r of next.ready) {
      // Ready only once every incoming edge is resolved and one carries data.
      expect(readiness(r, view)).toBe('ready');
      expect(status.get(r.id)).toBe('pending');
      status.set(r.id, 'ready');
      readied.push(r.id);
      ready.push(r);
    }
  };
  const trigger = graph.order[0];
  if (trigger) complete(trigger);
  let step = 0;
  while (ready.length > 0) {
    const [picked] = ready.splice((picks[step++ % Math.max(1, picks.length)] ?? 0) % ready.length, 1);
    if (picked) complete(picked);
  }
  return { status, readied, view };
}

const shapes = fc.integer({ min: 1, max: 14 }).chain((n) =>
  fc.record({
    links: fc.tuple(
      ...Array.from({ length: n }, () =>
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 3 }),
      ),
    ),
    takes: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n + 1, maxLength: n + 1 }),
  }),
);

describe('scheduler', () => {
  test('every step settles; a step succeeds exactly when data reaches it; each is readied once', () => {
    fc.assert(
      fc.property(shapes, fc.array(fc.nat(), { maxLength: 20 }), (shape, picks) => {
        const graph = graphOf(shape);
        const { status, readied, view } = simulate(graph, shape, picks);
        expect(new Set(readied).size).toBe(readied.length);
        for (const n of graph.order.slice(1)) {
          const data = n.incoming.some((e) => edgeState(e, view) === 'data');
          expect(status.get(n.id)).toBe(data ? 'succeeded' : 'skipped');
          expect(n.incoming.every((e) => edgeState(e, view) !== 'pending')).toBe(true);
        }
        expect(runOutcome(graph, view)).toBe('succeeded');
      }),
      { numRuns: 400 },
    );
  });

  test('the outcome does not depend on the order in which ready steps complete', () => {
    fc.assert(
      fc.property(shapes, fc.array(fc.nat()), fc.array(fc.nat()), (shape, first, second) => {
        const graph = graphOf(shape);
        const a = simulate(graph, shape, first);
        const b = simulate(graph, shape, second);
        expect([...a.status]).toEqual([...b.status]);
      }),
      { numRuns: 300 },
    );
  });

  test('a run with a failed step has failed; one where only people can move it on is waiting', () => {
    const graph = graphOf({ links: [[[0, 0]], [[1, 0]]], takes: [3, 3, 3] });
    const at = (statuses: StepStatus[]): StepView => ({
      status: (id) => statuses[Number(id.slice(1))] ?? 'pending',
      ports: () => ['p0', 'p1'],
    });
    expect(runOutcome(graph, at(['succeeded', 'failed', 'pending']))).toBe('failed');
    expect(runOutcome(graph, at(['succeeded', 'waiting', 'pending']))).toBe('waiting');
    expect(runOutcome(graph, at(['waiting', 'ready', 'pending']))).toBe('running');
    expect(runOutcome(graph, at(['waiting', 'running', 'pending']))).toBe('running');
    expect(runOutcome(graph, at(['succeeded', 'succeeded', 'waiting']))).toBe('waiting');
    expect(runOutcome(graph, at(['succeeded', 'skipped', 'skipped']))).toBe('succeeded');
  });
});
