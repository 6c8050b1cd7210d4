import { compile, EditorGraph, formatDiagnostics, Spec, specToGraph } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { loadFixtures } from '../test/fixtures.js';
import { registry } from './registry.js';

const valid = loadFixtures('valid');
const invalid = loadFixtures('invalid');

describe('fixtures', () => {
  test('there are at least 10 valid and 30 invalid fixtures', () => {
    expect(valid.length).toBeGreaterThanOrEqual(10);
    expect(invalid.length).toBeGreaterThanOrEqual(30);
  });

  test.each(valid)('valid: $name compiles without any diagnostic', ({ graph, policy, name }) => {
    expect(EditorGraph.safeParse(graph).success).toBe(true);
    const result = compile(graph, registry, policy ? { policy } : {});
    expect(formatDiagnostics(`${name}.json`, result.diagnostics)).toBe(`${name}.json: no problems`);
    expect(result.spec).not.toBeNull();
    expect(Spec.parse(result.spec)).toEqual(result.spec);
    expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each(valid)('valid: $name round-trips graph → spec → graph → spec', ({ graph, policy }) => {
    const options = policy ? { policy } : {};
    const first = compile(graph, registry, options);
    if (!first.spec) throw new Error('fixture does not compile');
    const again = compile(specToGraph(first.spec), registry, options);
    expect(again.spec).toEqual(first.spec);
    expect(again.hash).toBe(first.hash);
  });

  test.each(valid)('valid: $name hash ignores layout and edge order', ({ graph, policy }) => {
    const options = policy ? { policy } : {};
    const parsed = EditorGraph.parse(graph);
    const moved = {
      ...parsed,
      nodes: parsed.nodes
        .map((n) => ({ ...n, position: { x: n.position.x + 17, y: -n.position.y } }))
        .reverse(),
      edges: [...parsed.edges].reverse(),
    };
    expect(compile(moved, registry, options).hash).toBe(compile(graph, registry, options).hash);
  });

  test.each(invalid)('invalid: $name → $expected', ({ graph, policy, expected }) => {
    const result = compile(graph, registry, policy ? { policy } : {});
    const codes = [...new Set(result.diagnostics.map((d) => d.code))].sort();
    expect(codes).toEqual([...expected].sort());
    if (result.diagnostics.some((d) => d.severity === 'error')) expect(result.spec).toBeNull();
    for (const d of result.diagnostics) expect(d.message.length).toBeGreaterThan(0);
  });
});
