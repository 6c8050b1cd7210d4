import { compile, createCompiler, EditorGraph, type GraphNode } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { fixtureGraph } from '../test/fixtures.js';
import { registry } from './registry.js';

function edit(graph: EditorGraph, id: string, change: (node: GraphNode) => GraphNode): EditorGraph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? change(n) : n)) };
}

describe('incremental re-validation', () => {
  test('every edit gives what a fresh compile gives', () => {
    const compiler = createCompiler(registry);
    let graph = EditorGraph.parse(fixtureGraph('support-ticket-triage'));
    const steps: ((g: EditorGraph) => EditorGraph)[] = [
      (g) => edit(g, 'refund_gate', (n) => ({ ...n, config: { ...n.config, quorum: 2 } })),
      (g) =>
        edit(g, 'classify', (n) => ({ ...n, config: { ...n.config, prompt: 'Classify {{ input.nope }}' } })),
      (g) =>
        edit(g, 'classify', (n) => ({ ...n, config: { ...n.config, prompt: 'Classify {{ input.body }}' } })),
      (g) => edit(g, 'redact_pii', (n) => ({ ...n, config: { ...n.config, onFailure: 'flag' } })),
      (g) => ({ ...g, edges: g.edges.filter((e) => e.target !== 'issue_refund') }),
      (g) => edit(g, 'classify', (n) => ({ ...n, position: { x: 1, y: 2 }, label: 'Renamed' })),
      // A new object with the same content (no structural sharing) is recognised by content.
      (g) => structuredClone(g),
    ];
    for (const step of steps) {
      graph = step(graph);
      expect(compiler.compile(graph)).toEqual(compile(graph, registry));
    }
  });

  test('a changed output type reaches downstream nodes', () => {
    const compiler = createCompiler(registry);
    const graph = EditorGraph.parse(fixtureGraph('invoice-processing'));
    const policy = { trustedHosts: ['erp.internal.example.com'] };
    const withPolicy = createCompiler(registry, { policy });
    expect(withPolicy.compile(graph).diagnostics).toEqual([]);
    const renamed = edit(graph, 'totals', (n) => ({
      ...n,
      config: { mapping: { supplier: 'input.supplier', invoiceNo: 'input.invoiceNo', sum: '1.0' } },
    }));
    const codes = withPolicy.compile(renamed).diagnostics.map((d) => [d.code, d.nodeId]);
    expect(codes).toContainEqual(['SL402', 'amount_gate']);
    expect(compiler.compile(renamed).diagnostics).toEqual(compile(renamed, registry).diagnostics);
  });
});
