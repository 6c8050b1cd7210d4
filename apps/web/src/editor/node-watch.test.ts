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
