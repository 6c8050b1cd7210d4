import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { NodeDefinition } from '../node-definition.js';
import { TriggerConfig } from '../trigger.js';
import { compile, createCompiler } from './compile.js';

// A registry of three toy kinds: the spec package compiles with whatever registry it is given.
const trigger: NodeDefinition<TriggerConfig> = {
  kind: 'trigger',
  typeVersion: 1,
  title: 'Trigger',
  description: '',
  category: 'trigger',
  configSchema: TriggerConfig,
  defaultConfig: { type: 'manual', input: { type: 'object' } },
  fields: [],
  classification: { egress: () => false, sourceLabel: 'internal' },
  inputs: () => [],
  outputs: (config) => [{ name: 'out', label: 'Out', schema: config.input }],
  expressions: () => [],
  checks: () => [],
};

const Renamed = z.strictObject({ expr: z.string() });
const step: NodeDefinition<z.infer<typeof Renamed>> = {
  kind: 'step',
  typeVersion: 2,
  title: 'Step',
  description: '',
  category: 'logic',
  configSchema: Renamed,
  defaultConfig: { expr: 'input' },
  fields: [],
  classification: { egress: () => false },
  infersOutputs: true,
  // Version 1 called the expression `formula`.
  upgrades: { 1: ({ formula, ...rest }) => ({ ...rest, expr: formula }) },
  inputs: () => [{ name: 'in', label: 'In', schema: {} }],
  outputs: (_, types) => [{ name: 'out', label: 'Out', schema: types?.typeOf(['config', 'expr']) ?? {} }],
  expressions: (config) => [{ path: ['config', 'expr'], source: config.expr, mode: 'value' }],
  checks: (node) => {
    if (node.config.expr === 'explode') throw new Error('kind bug');
    return [];
  },
};

const end: NodeDefinition<Record<string, never>> = {
  kind: 'output',
  typeVersion: 1,
  title: 'Output',
  description: '',
  category: 'output',
  configSchema: z.strictObject({}),
  defaultConfig: {},
  fields: [],
  classification: { egress: () => false },
  inputs: () => [{ name: 'in', label: 'In', schema: {} }],
  outputs: () => [],
  expressions: () => [],
  checks: () => [],
};

const registry = [trigger, step, end];
const at = { x: 0, y: 0 };

function graph(stepNode: Record<string, unknown>) {
  return {
    graphVersion: 1,
    metadata: { name: 'Toy', ownerTeam: 'team' },
    access: { trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] },
    nodes: [
      {
        id: 'start',
        kind: 'trigger',
        typeVersion: 1,
        label: 'Start',
        owner: 'team',
        position: at,
        config: { type: 'manual', input: { type: 'object', properties: { n: { type: 'integer' } } } },
      },
      { id: 'calc', kind: 'step', label: 'Calc', owner: 'team', position: at, ...stepNode },
      { id: 'done', kind: 'output', typeVersion: 1, label: 'Done', owner: 'team', position: at, config: {} },
    ],
    edges: [
      { id: 'a', source: 'start', sourceHandle: 'out', target: 'calc', targetHandle: 'in' },
      { id: 'b', source: 'calc', sourceHandle: 'out', target: 'done', targetHandle: 'in' },
    ],
  };
}

describe('compile with a given registry', () => {
  test('upgrades a node config from an older typeVersion', () => {
    const result = compile(graph({ typeVersion: 1, config: { formula: 'input.n + 1' } }), registry);
    expect(result.diagnostics).toEqual([]);
    expect(result.spec?.nodes.calc).toMatchObject({ typeVersion: 2, config: { expr: 'input.n + 1' } });
    expect(result.analysis.calc?.outputs.out).toEqual({ type: 'integer' });
  });

  test('a kind that throws is reported as SL009, not thrown', () => {
    const result = compile(graph({ typeVersion: 2, config: { expr: 'explode' } }), registry);
    expect(result.spec).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toContain('SL009');
  });

  test('a missing upgrade step is SL202', () => {
    const noUpgrades = [trigger, { ...step, upgrades: {} }, end];
    const result = compile(graph({ typeVersion: 1, config: { formula: 'x' } }), noUpgrades);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['SL202']);
  });

  test.each([
    null,
    undefined,
    42,
    'graph',
    [],
    { graphVersion: 1 },
    { graphVersion: 1, nodes: {}, edges: 3 },
  ])('never throws on %j', (value) => {
    const result = compile(value, registry);
    expect(result.spec).toBeNull();
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });

  test('an incremental compiler reuses unchanged nodes and agrees with a fresh compile', () => {
    const compiler = createCompiler(registry);
    const first = graph({ typeVersion: 2, config: { expr: 'input.n + 1' } });
    expect(compiler.compile(first)).toEqual(compile(first, registry));
    const nodes = first.nodes.map((n) => (n.id === 'calc' ? { ...n, config: { expr: 'input.n * 2' } } : n));
    const second = { ...first, nodes };
    expect(compiler.compile(second)).toEqual(compile(second, registry));
    const broken = {
      ...first,
      nodes: first.nodes.map((n) => (n.id === 'calc' ? { ...n, config: { expr: 'input.m' } } : n)),
    };
    expect(compiler.compile(broken).diagnostics.map((d) => d.code)).toEqual(['SL402']);
    expect(compiler.compile(first)).toEqual(compile(first, registry));
  });

  test('the hash can be skipped for re-validation', () => {
    const g = graph({ typeVersion: 2, config: { expr: 'input.n' } });
    const result = createCompiler(registry).compile(g, { hash: false });
    expect(result.spec).not.toBeNull();
    expect(result.hash).toBeNull();
    expect(compile(g, registry).hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
