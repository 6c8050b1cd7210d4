// The editor's state: the graph with its undo history, the selection, the clipboard, and the
// compiler's live answer (re-run on every edit; held back while a drag is in progress, since moving
// a node changes no diagnostic).
import { registry } from '@sluice/nodes';
import { type CompileResult, createCompiler } from '@sluice/spec';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { EditorGraph } from '../api/contract';
import { type Clipboard, copy, paste, remove } from './graph-ops';
import { commit, type History, redo, replace, settle, startHistory, undo } from './history';

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
  // The graph as it was when a drag began: compiled meanwhile, and the drag's single undo step.
  const [dragBase, setDragBase] = useState<EditorGraph | null>(null);
  const clipboard = useRef<Clipboard | null>(null);
  const compiler = useMemo(() => createCompiler(registry), []);
  const compileInput = dragBase ?? history.present;
  const result: CompileResult = useMemo(
    () => compiler.compile(compileInput, { hash: false }),
    [compiler, compileInput],
  );

  const graph = history.present;

  /** Applies an edit as one undo step (or extends the last one when `key` matches). */
  const edit = useCallback((change: (graph: EditorGraph) => EditorGraph, key: string | null = null) => {
    setHistory((h) => commit(h, change(h.present), key));
  }, []);

  const select = useCallback((nodes: Iterable<string>, edges: Iterable<string> = []) => {
    setSelection({ nodes: new Set(nodes), edges: new Set(edges) });
  }, []);

  const present = history.present;
  const dragStart = useCallback(() => setDragBase(present), [present]);
  const dragMove = useCallback((change: (graph: EditorGraph) => EditorGraph) => {
    setHistory((h) => replace(h, change(h.present)));
  }, []);
  const dragEnd = useCallback(() => {
    if (dragBase) setHistory((h) => settle(h, dragBase));
    setDragBase(null);
  }, [dragBase]);

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
    /** The graph the live `result` was compiled from (the present, except during a drag). */
    settled: compileInput,
    result,
    selection,
    focus,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
    edit,
    select,
    focusField,
    undo: useCallback(() => setHistory(undo), []),
    redo: useCallback(() => setHistory(redo), []),
    dragStart,
    dragMove,
    dragEnd,
    copySelection,
    pasteClipboard,
    deleteSelection,
    /** Replaces the whole document without an undo step (after the server answers). */
    reset: useCallback((next: EditorGraph) => setHistory(startHistory(next)), []),
  };
}

export type Editor = ReturnType<typeof useEditor>;
