// A node watch wakes only the listeners of nodes whose objects changed, were added or were removed.
import { describe, expect, it } from 'vitest';
import { createNodeWatch } from './node-watch';

interface N {
  x: number;
}

function counter() {
  const calls: string[] = [];
  return { calls, on: (id: string) => () => calls.push(id) };
}

describe('createNodeWatch', () => {
  const a: N = { x: 1 };
  const b: N = { x: 2 };

  it('gives the node objects it has seen', () => {
    const watch = createNodeWatch(new Map([['a', a]]));
    expect(watch.get('a')).toBe(a);
    expect(watch.get('b')).toBeUndefined();
  });

  it('notifies only the listeners of a replaced node', () => {
    const lookup = new Map([
      ['a', a],
      ['b', b],
    ]);
    const watch = createNodeWatch(lookup);
    const seen = counter();
    watch.subscribe('a', seen.on('a'));
    watch.subscribe('b', seen.on('b'));
    const moved = { x: 3 };
    lookup.set('b', moved);
    watch.update(lookup);
    expect(seen.calls).toEqual(['b']);
    expect(watch.get('b')).toBe(moved);
    watch.update(lookup);
    expect(seen.calls).toEqual(['b']);
  });

  it('does not share the lookup it was given: a lookup refilled in place is still compared', () => {
    const lookup = new Map([['a', a]]);
    const watch = createNodeWatch(lookup);
    const seen = counter();
    watch.subscribe('a', seen.on('a'));
    lookup.clear();
    lookup.set('a', { x: 9 });
    watch.update(lookup);
    expect(seen.calls).toEqual(['a']);
  });

  it('notifies on nodes added and removed', () => {
    const watch = createNodeWatch(new Map([['a', a]]));
    const seen = counter();
    watch.subscribe('a', seen.on('a'));
    watch.subscribe('b', seen.on('b'));
    watch.update(new Map([['b', b]]));
    expect(seen.calls.sort()).toEqual(['a', 'b']);
    expect(watch.get('a')).toBeUndefined();
    expect(watch.get('b')).toBe(b);
  });

  it('stops calling a listener once it unsubscribes', () => {
    const lookup = new Map([['a', a]]);
    const watch = createNodeWatch(lookup);
    const seen = counter();
    const stop = watch.subscribe('a', seen.on('a'));
    stop();
    lookup.set('a', { x: 5 });
    watch.update(lookup);
    expect(seen.calls).toEqual([]);
  });
});

describe('hot nodes', () => {
  interface D {
    dragging?: boolean;
  }
  const isHot = (node: D) => node.dragging === true;

  it('starts with the nodes that are hot in the first lookup', () => {
    const watch = createNodeWatch<D>(
      new Map([
        ['a', { dragging: true }],
        ['b', {}],
      ]),
      isHot,
    );
    expect([...watch.hot()]).toEqual(['a']);
  });

  it('follows nodes turning hot and cold, and says so only when the set changes', () => {
    const lookup = new Map<string, D>([
      ['a', {}],
      ['b', {}],
    ]);
    const watch = createNodeWatch(lookup, isHot);
    let calls = 0;
    watch.subscribeHot(() => (calls += 1));
    const before = watch.hot();
    lookup.set('a', { dragging: true });
    watch.update(lookup);
    expect([...watch.hot()]).toEqual(['a']);
    expect(calls).toBe(1);
    const during = watch.hot();
    lookup.set('a', { dragging: true });
    watch.update(lookup);
    expect(watch.hot()).toBe(during);
    expect(calls).toBe(1);
    lookup.set('a', { dragging: false });
    watch.update(lookup);
    expect(watch.hot().size).toBe(0);
    expect(before.size).toBe(0);
    expect(calls).toBe(2);
  });

  it('drops a hot node that is removed', () => {
    const watch = createNodeWatch<D>(new Map([['a', { dragging: true }]]), isHot);
    watch.update(new Map());
    expect(watch.hot().size).toBe(0);
  });
});
