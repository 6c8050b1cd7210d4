// Undo and redo over immutable editor graphs. Each entry is a whole graph; unchanged nodes are shared
// between entries, so a step costs one array and the objects that changed.
import type { EditorGraph } from '../api/contract';

/** The graph being edited with what came before and what was undone. */
export interface History {
  past: EditorGraph[];
  present: EditorGraph;
  future: EditorGraph[];
  /** Consecutive commits with one key (typing in one field) make one undo step. */
  lastKey: string | null;
}

const LIMIT = 200;

/** A fresh history whose present is `graph`. */
export function startHistory(graph: EditorGraph): History {
  return { past: [], present: graph, future: [], lastKey: null };
}

/**
 * Makes `next` the present. With a `key` equal to the previous commit's, the previous step is
 * extended instead of a new one being added (one undo reverts a whole run of typing).
 *
 * @example
 * h = commit(h, withLabel, 'label:ai_1');
 */
export function commit(history: History, next: EditorGraph, key: string | null = null): History {
  if (next === history.present) return history;
  if (key !== null && key === history.lastKey) return { ...history, present: next, future: [] };
  const past = [...history.past, history.present];
  if (past.length > LIMIT) past.shift();
  return { past, present: next, future: [], lastKey: key };
}

export function undo(history: History): History {
  const previous = history.past.at(-1);
  if (!previous) return history;
  return {
    past: history.past.slice(0, -1),
    present: previous,
    future: [history.present, ...history.future],
    lastKey: null,
  };
}

export function redo(history: History): History {
  const next = history.future[0];
  if (!next) return history;
  return {
    past: [...history.past, history.present],
    present: next,
    future: history.future.slice(1),
    lastKey: null,
  };
}
