// Per-node change notification over React Flow's node lookup. React Flow tells its subscribers about
// every store update, and on a canvas of 1,000 steps one subscription per wire is 1,000 selector calls
// for each frame of a drag. A watch is one subscription: it compares each node object with the one it
// saw last (React Flow replaces only the objects of nodes that changed) and calls the listeners of the
// nodes that did change, so a drag wakes only the wires of the dragged node.

/** Calls a node's listeners when its object in the lookup is replaced, added or removed. */
export interface NodeWatch<N> {
  /** The ids of the nodes `isHot` holds for (e.g. being dragged); a new set only when it changes. */
  hot(): ReadonlySet<string>;
  /** Listens to changes of `hot()`; returns the function that stops listening. */
  subscribeHot(listener: () => void): () => void;
  /** The node's object as last seen (a stable snapshot for `useSyncExternalStore`). */
  get(id: string): N | undefined;
  /** Listens to one node; returns the function that stops listening. */
  subscribe(id: string, listener: () => void): () => void;
  /** Compares `lookup` with what was seen last and notifies the listeners of changed nodes. */
  update(lookup: ReadonlyMap<string, N>): void;
}

const EMPTY: ReadonlySet<string> = new Set();

/**
 * A watch over node objects, fed with `update` on each store change. `isHot` marks the nodes to keep
 * in `hot()`; only changed nodes are asked again.
 *
 * @example
 * const watch = createNodeWatch(store.getState().nodeLookup, (node) => node.dragging === true);
 * store.subscribe((s) => watch.update(s.nodeLookup));
 * const stop = watch.subscribe('t1', () => redraw());
 */
export function createNodeWatch<N>(
  initial: ReadonlyMap<string, N>,
  isHot: (node: N) => boolean = () => false,
): NodeWatch<N> {
  // A copy: React Flow clears and refills its lookup in place.
  const seen = new Map(initial);
  const listeners = new Map<string, Set<() => void>>();
  const hotListeners = new Set<() => void>();
  const hotAtStart = [...seen].filter(([, node]) => isHot(node)).map(([id]) => id);
  let hot: ReadonlySet<string> = hotAtStart.length > 0 ? new Set(hotAtStart) : EMPTY;
  return {
    hot: () => hot,
    subscribeHot(listener) {
      hotListeners.add(listener);
      return () => hotListeners.delete(listener);
    },
    get: (id) => seen.get(id),
    subscribe(id, listener) {
      let set = listeners.get(id);
      if (!set) {
        set = new Set();
        listeners.set(id, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(id);
      };
    },
    update(lookup) {
      const changed: string[] = [];
      for (const [id, node] of lookup) {
        if (seen.get(id) === node) continue;
        seen.set(id, node);
        changed.push(id);
      }
      if (seen.size !== lookup.size) {
        for (const id of seen.keys()) {
          if (lookup.has(id)) continue;
          seen.delete(id);
          changed.push(id);
        }
      }
      let nextHot: Set<string> | null = null;
      for (const id of changed) {
        const node = seen.get(id);
        if ((node !== undefined && isHot(node)) === hot.has(id)) continue;
        nextHot ??= new Set(hot);
        if (hot.has(id)) nextHot.delete(id);
        else nextHot.add(id);
      }
      if (nextHot) hot = nextHot.size === 0 ? EMPTY : nextHot;
      for (const id of changed) for (const listener of listeners.get(id) ?? []) listener();
      if (nextHot) for (const listener of hotListeners) listener();
    },
  };
}
