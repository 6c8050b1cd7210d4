import { compile, createCompiler, type EditorGraph } from '@sluice/spec';
import { registry } from '@sluice/nodes';
import { nativeSha256 } from '@sluice/nodes/server';
import { layeredGraph, transformNode } from './compile-graph.js';
import { median, progress, report } from './compile-stats.js';

/**
 * `compile5k`: full compile + validation (spec and hash included) of the 5,000-node graph, p50 of 20
 * after 5 warm-up runs; every run is a one-shot `compile()`, so nothing is cached between runs.
 * `baseline_p50_ms` is a JSON round trip of the same graph timed right before each run: the machines
 * are shared and noisy, so compare `p50_ms / baseline_p50_ms` across runs, not the lone figure.
 */
function compile5k(): void {
  const graph = layeredGraph(50, 99);
  progress(`compile5k: ${graph.nodes.length} nodes, ${graph.edges.length} edges`);
  // The server compiles (publish, import, CLI) with node:crypto's SHA-256, as measured here.
  const options = { sha256: nativeSha256 };
  const first = compile(graph, registry, options);
  if (!first.spec)
    throw new Error(`the workload graph does not compile: ${first.diagnostics[0]?.message ?? '?'}`);
  const text = JSON.stringify(graph);
  const baseline = (): number => {
    const start = performance.now();
    JSON.stringify(JSON.parse(text));
    return performance.now() - start;
  };
  for (let i = 0; i < 5; i++) compile(graph, registry, options);
  const times: number[] = [];
  const baselines: number[] = [];
  for (let i = 0; i < 20; i++) {
    baselines.push(baseline());
    const start = performance.now();
    const result = compile(graph, registry, options);
    times.push(performance.now() - start);
    if (result.hash !== first.hash) throw new Error('compile is not deterministic');
  }
  report({ workload: 'compile5k', p50_ms: median(times), baseline_p50_ms: median(baselines) });
}

/**
 * `revalidate1k`: the editor's re-validation after one node's config is edited in a 1,000-node graph,
 * p50 of 200. Each edit writes a new constant into the same transform, as typing in the inspector
 * does; the graph object is rebuilt the way React state updates rebuild it (other nodes untouched).
 */
function revalidate1k(): void {
  const graph = layeredGraph(20, 49);
  progress(`revalidate1k: ${graph.nodes.length} nodes, ${graph.edges.length} edges`);
  const compiler = createCompiler(registry);
  const warm = compiler.compile(graph, { hash: false });
  if (warm.diagnostics.some((d) => d.severity === 'error'))
    throw new Error('the workload graph does not compile');
  const index = graph.nodes.findIndex((n) => n.id === 'n25_10');
  const target = graph.nodes[index];
  if (!target || target.kind !== 'transform') throw new Error('n25_10 should be a transform');
  const times: number[] = [];
  let current: EditorGraph = graph;
  // 20 warm-up edits, then 200 measured ones.
  for (let i = -20; i < 200; i++) {
    const nodes = [...current.nodes];
    nodes[index] = transformNode(target, 10_000 + i);
    current = { ...current, nodes };
    const start = performance.now();
    const result = compiler.compile(current, { hash: false });
    if (i >= 0) times.push(performance.now() - start);
    if (result.diagnostics.length > 0) throw new Error('the edit should keep the graph valid');
  }
  report({ workload: 'revalidate1k', p50_ms: median(times) });
}

export async function runCompileBench(): Promise<void> {
  compile5k();
  revalidate1k();
}
