// The editor's state: the graph with its undo history, the selection, the clipboard, and the
// compiler's live answer (re-run after each edit that changes the design; see live-compile.ts).
// A drag in progress lives in the canvas alone and arrives here once, as one edit, when it ends.
import { registry } from '@sluice/nodes';
import { createCompiler } from '@sluice/spec';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { EditorGraph } from '../api/contract';
import { type Clipboard, copy, paste, remove } from './graph-ops';
import { commit, type History, redo, startHistory, undo } from './history';
import { useLiveCompile } from './live-compile';

/** Where the inspector should put the cursor: a config path of the selected node. */
export interface FocusRequest {
  nodeId: string;
  path: string;
  /** Changes on every request, so asking twice for one field focuses it twice. */
  nonce: number;
}

export interface Selection {
  nodes: ReadonlySet<string>;
  edges: ReadonlySet<string>;
}

const EMPTY: ReadonlySet<string> = new Set();

/**
 * Everything the editor page needs to render and change one graph.
 *
 * @example
 * const editor = useEditor(workflow.draftGraph);
 * editor.edit((g) => addNode(g, node));
 */
export function useEditor(initial: EditorGraph) {
  const [history, setHistory] = useState<History>(() => startHistory(initial));
  const [selection, setSelection] = useState<Selection>({ nodes: EMPTY, edges: EMPTY });
  const [focus, setFocus] = useState<FocusRequest | null>(null);
  const clipboard = useRef<Clipboard | null>(null);
  const compiler = useMemo(() => createCompiler(registry), []);
  const graph = history.present;
  const { result, pending } = useLiveCompile(compiler, graph);

  /** Applies an edit as one undo step (or extends the last one when `key` matches). */
  const edit = useCallback((change: (graph: EditorGraph) => EditorGraph, key: string | null = null) => {
    setHistory((h) => commit(h, change(h.present), key));
  }, []);

  const select = useCallback((nodes: Iterable<string>, edges: Iterable<string> = []) => {
    setSelection({ nodes: new Set(nodes), edges: new Set(edges) });
  }, []);

  const copySelection = useCallback(() => {
    if (selection.nodes.size === 0) return false;
    clipboard.current = copy(history.present, selection.nodes);
    return true;
  }, [history.present, selection.nodes]);

  const pasteClipboard = useCallback(() => {
    const clip = clipboard.current;
    if (!clip || clip.nodes.length === 0) return;
    const done = paste(history.present, clip);
    setHistory((h) => commit(h, done.graph));
    setSelection({ nodes: new Set(done.pasted), edges: EMPTY });
    // A second paste lands further along, not on top of the first.
    clipboard.current = {
      nodes: clip.nodes.map((n) => ({ ...n, position: { x: n.position.x + 40, y: n.position.y + 40 } })),
      edges: clip.edges,
    };
  }, [history.present]);

  const deleteSelection = useCallback(() => {
    if (selection.nodes.size === 0 && selection.edges.size === 0) return;
    const { nodes, edges } = selection;
    setHistory((h) => commit(h, remove(h.present, nodes, edges)));
    setSelection({ nodes: EMPTY, edges: EMPTY });
  }, [selection]);

  const focusField = useCallback((nodeId: string, path: string) => {
    setSelection({ nodes: new Set([nodeId]), edges: EMPTY });
    setFocus({ nodeId, path, nonce: Date.now() });
  }, []);

  return {
    graph,
    /** The compiler's answer for the latest design it has seen (see `pending`). */
    result,
    /** True until `result` answers for the present design (a compile is due after an edit). */
    compilePending: pending,
    selection,
    focus,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
    edit,
    select,
    focusField,
    undo: useCallback(() => setHistory(undo), []),
    redo: useCallback(() => setHistory(redo), []),
    copySelection,
    pasteClipboard,
    deleteSelection,
    /** Replaces the whole document without an undo step (after the server answers). */
    reset: useCallback((next: EditorGraph) => setHistory(startHistory(next)), []),
  };
}

export type Editor = ReturnType<typeof useEditor>;
