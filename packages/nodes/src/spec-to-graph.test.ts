import { compile, EditorGraph, specToGraph } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { fixtureGraph } from '../test/fixtures.js';
import { registry } from './registry.js';

describe('specToGraph', () => {
  test('lays nodes out by longest path, with readable edge ids', () => {
    const { spec } = compile(fixtureGraph('outbound-email'), registry);
    if (!spec) throw new Error('fixture does not compile');
    const graph = specToGraph(spec);
    expect(EditorGraph.parse(graph)).toEqual(graph);
    const x = (id: string) => graph.nodes.find((n) => n.id === id)?.position.x;
    expect(x('trigger')).toBe(0);
    expect(x('draft')).toBeLessThan(x('brand_check') ?? 0);
    expect(x('marketing_review')).toBeLessThan(x('send') ?? 0);
    expect(graph.edges.map((e) => e.id)).toContain('marketing_review.approved->send.in');
  });
});
