// The editor's live compile. It runs off the render path: the canvas draws first and the diagnostics
// follow a moment later, and a burst of edits (typing in a field) compiles once, after it settles.
// Moving nodes never compiles: the spec and its diagnostics do not depend on where a node sits.
import type { CompileResult, Compiler } from '@sluice/spec';
import { useEffect, useState } from 'react';
import type { EditorGraph } from '../api/contract';

/** How long edits must pause before the graph is compiled again. */
export const COMPILE_DEBOUNCE_MS = 120;

/** What the editor shows before the first compile has answered: nothing known yet. */
export const NOT_COMPILED: CompileResult = Object.freeze({
  spec: null,
  diagnostics: [],
  ownership: [],
  hash: null,
  analysis: {},
});

/**
 * Whether `a` and `b` compile alike: they differ at most in node positions. Edits share every
 * unchanged object with the graph before them, so identity comparisons suffice (a false "differ"
 * only costs a compile).
 *
 * @example
 * sameDesign(graph, moveNodes(graph, new Map([['ai_1', { x: 10, y: 20 }]]))); // true
 */
export function sameDesign(a: EditorGraph, b: EditorGraph): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (key !== 'nodes' && Reflect.get(a, key) !== Reflect.get(b, key)) return false;
  }
  if (a.nodes.length !== b.nodes.length) return false;
  for (let i = 0; i < a.nodes.length; i += 1) {
    const x = a.nodes[i];
    const y = b.nodes[i];
    if (x === y) continue;
    if (!x || !y) return false;
    const fields = new Set([...Object.keys(x), ...Object.keys(y)]);
    for (const field of fields) {
      if (field !== 'position' && Reflect.get(x, field) !== Reflect.get(y, field)) return false;
    }
  }
  return true;
}

interface Compiled {
  graph: EditorGraph;
  result: CompileResult;
}

/**
 * The compiler's answer for `graph`, recomputed after the render that changed the design (at once
 * for the first graph, `COMPILE_DEBOUNCE_MS` after the last of a run of edits). `pending` is true
 * while the answer shown is not yet the present design's.
 *
 * @example
 * const { result, pending } = useLiveCompile(compiler, history.present);
 */
export function useLiveCompile(compiler: Compiler, graph: EditorGraph) {
  const [compiled, setCompiled] = useState<Compiled | null>(null);
  const current = compiled !== null && sameDesign(compiled.graph, graph);
  useEffect(() => {
    if (current) return;
    const timer = window.setTimeout(
      () => setCompiled({ graph, result: compiler.compile(graph, { hash: false }) }),
      compiled === null ? 0 : COMPILE_DEBOUNCE_MS,
    );
    return () => window.clearTimeout(timer);
  }, [compiler, graph, current, compiled]);
  return { result: compiled?.result ?? NOT_COMPILED, pending: !current };
}
