import { compile, createCompiler, Spec, specToGraph } from '@sluice/spec';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { registry } from './registry.js';

const IDS = ['t', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'bad id', ''];
const PORTS = ['out', 'in', 'approved', 'rejected', 'yes', 'default', 'zzz'];
const input = {
  type: 'object',
  properties: {
    n: { type: 'integer' },
    s: { type: 'string' },
    ok: { type: 'boolean' },
    xs: { type: 'array', items: { type: 'integer' } },
  },
  required: ['n', 's', 'ok', 'xs'],
};
const expressions = [
  'input.n + 1',
  'input.s',
  'input.ok',
  'input.nope',
  'size(input.xs) > 1',
  'input.xs.map(x, x * 2)',
  'this',
  '1 +',
  'true',
];

// Mostly-valid configs per kind, so a good share of random graphs compile to a spec.
const configs: Record<string, fc.Arbitrary<unknown>> = {
  trigger: fc.constantFrom(
    { type: 'manual', input },
    { type: 'webhook', secret: 'hook', input },
    { type: 'schedule', cron: '0 9 * * *', input },
    { type: 'schedule', cron: 'nope' },
  ),
  ai: fc.record({
    provider: fc.constantFrom('offline', 'openai', 'ollama'),
    model: fc.constantFrom('m', ''),
    prompt: fc.constantFrom('Hi {{ input.s }}', '{{ input', 'x'),
  }),
  validator: fc.record({
    detectors: fc.constantFrom([], ['email']),
    rules: fc.array(fc.record({ name: fc.constant('r'), expr: fc.constantFrom(...expressions) }), {
      maxLength: 2,
    }),
  }),
  gate: fc.record({
    tiers: fc.array(
      fc.record({
        when: fc.constantFrom(...expressions),
        tier: fc.constantFrom('auto', 'review', 'block', 'nope'),
        reason: fc.constant('r'),
      }),
      { maxLength: 2 },
    ),
  }),
  transform: fc.record({
    mapping: fc.dictionary(fc.constantFrom('n', 's', 'ok', 'xs'), fc.constantFrom(...expressions), {
      maxKeys: 3,
    }),
  }),
  branch: fc.record({
    cases: fc.array(
      fc.record({ port: fc.constantFrom('yes', 'no', 'default'), when: fc.constantFrom(...expressions) }),
      { maxLength: 2 },
    ),
  }),
  http: fc.record({
    url: fc.constantFrom('https://api.example.com/{{ input.s }}', 'https://{{ input.s }}/', 'nope'),
    allowHosts: fc.constant(['api.example.com']),
  }),
  human: fc.record({ role: fc.constantFrom('operator', 'boss') }),
  subflow: fc.record({ workflowId: fc.constant('w'), version: fc.constantFrom(1, 0) }),
  output: fc.record({
    mapping: fc.dictionary(fc.constantFrom('r'), fc.constantFrom(...expressions), { maxKeys: 1 }),
  }),
  bogus: fc.anything(),
};
const KINDS = Object.keys(configs);

// Configs that are valid whatever arrives upstream, so chains of them compile to a spec.
const safe = ['true', 'size(inputs) >= 0', '1 + 1 == 2'];
const validConfigs: Record<string, fc.Arbitrary<unknown>> = {
  trigger: fc.constantFrom({ type: 'manual', input }, { type: 'webhook', secret: 'hook', input }),
  ai: fc.record({
    provider: fc.constant('offline'),
    model: fc.constant('echo'),
    prompt: fc.constantFrom('Hi {{ input }}', 'x'),
  }),
  validator: fc.record({
    detectors: fc.constant(['email']),
    rules: fc.array(fc.record({ name: fc.constant('r'), expr: fc.constantFrom(...safe) }), { maxLength: 2 }),
  }),
  gate: fc.record({
    tiers: fc.array(
      fc.record({
        when: fc.constantFrom(...safe),
        tier: fc.constantFrom('auto', 'review', 'block'),
        reason: fc.constant('r'),
      }),
      { maxLength: 2 },
    ),
  }),
  transform: fc.record({
    mapping: fc.dictionary(
      fc.constantFrom('n', 's', 'ok'),
      fc.constantFrom('input', '1', '"s"', 'size(inputs)'),
      { minKeys: 1, maxKeys: 3 },
    ),
  }),
  branch: fc.record({
    cases: fc.array(fc.record({ port: fc.constantFrom('yes', 'no'), when: fc.constantFrom(...safe) }), {
      minLength: 1,
      maxLength: 1,
    }),
  }),
  http: fc.record({
    url: fc.constant('https://api.example.com/{{ input }}'),
    allowHosts: fc.constant(['api.example.com']),
  }),
  human: fc.record({ role: fc.constantFrom('operator', 'reviewer') }),
  subflow: fc.record({ workflowId: fc.constant('w'), version: fc.constantFrom(1, 2) }),
  output: fc.record({
    mapping: fc.dictionary(fc.constantFrom('r'), fc.constantFrom('input', '1'), { maxKeys: 1 }),
  }),
};

const nodeArb = (id: fc.Arbitrary<string>) =>
  fc.constantFrom(...KINDS).chain((kind) =>
    fc.record(
      {
        id,
        kind: fc.constant(kind),
        typeVersion: fc.constantFrom(1, 1, 1, 2),
        label: fc.constant('L'),
        owner: fc.constantFrom('team', 'team', '', ' team '),
        position: fc.record({ x: fc.integer(), y: fc.integer() }),
        config: configs[kind] ?? fc.constant({}),
        classification: fc.constantFrom('public', 'internal', 'confidential', 'restricted'),
      },
      { requiredKeys: ['id', 'kind', 'typeVersion', 'label', 'owner', 'position', 'config'] },
    ),
  );

const access = fc.record({
  trigger: fc.constantFrom(['operator'], []),
  approve: fc.constantFrom(['reviewer'], ['reviewer', 'operator']),
  operate: fc.constant(['operator']),
  audit: fc.constantFrom(['auditor'], []),
});

/** Any shape: random nodes and edges between random ids and ports. */
const wildGraph = fc.record({
  graphVersion: fc.constantFrom(1, 1, 1, 2),
  metadata: fc.record({ name: fc.constantFrom('W', ''), ownerTeam: fc.constant('team') }),
  access,
  nodes: fc.array(nodeArb(fc.constantFrom(...IDS)), { maxLength: 8 }),
  edges: fc.array(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      source: fc.constantFrom(...IDS),
      sourceHandle: fc.constantFrom(...PORTS, null),
      target: fc.constantFrom(...IDS),
      targetHandle: fc.constantFrom('in', 'out', null),
    }),
    { maxLength: 12 },
  ),
});

/** A chain trigger → steps → output, wired through each kind's first output port. */
const chainGraph = fc
  .tuple(
    fc.array(fc.constantFrom('ai', 'validator', 'gate', 'transform', 'branch', 'http', 'human', 'subflow'), {
      maxLength: 5,
    }),
    access,
    fc.boolean(),
  )
  .chain(([kinds, acc, valid]) =>
    fc
      .tuple(
        ...['trigger', ...kinds, 'output'].map(
          (kind) => (valid ? validConfigs : configs)[kind] ?? fc.constant({}),
        ),
      )
      .map((cfgs) => {
        const all = ['trigger', ...kinds, 'output'];
        const nodes = all.map((kind, i) => ({
          id: `n${i}`,
          kind,
          typeVersion: 1,
          label: kind,
          owner: 'team',
          position: { x: i * 100, y: 0 },
          config: cfgs[i],
          classification: 'public',
        }));
        const firstPort = (kind: string) =>
          kind === 'gate' ? 'approved' : kind === 'branch' ? 'default' : 'out';
        const edges = all.slice(1).map((_, i) => ({
          id: `e${i}`,
          source: `n${i}`,
          sourceHandle: firstPort(all[i] ?? ''),
          target: `n${i + 1}`,
          targetHandle: 'in',
        }));
        return { graphVersion: 1, metadata: { name: 'Chain', ownerTeam: 'team' }, access: acc, nodes, edges };
      }),
  );

const anyGraph = fc.oneof(
  { arbitrary: chainGraph, weight: 5 },
  { arbitrary: wildGraph, weight: 4 },
  { arbitrary: fc.anything(), weight: 1 },
);

describe('compiler properties (fast-check)', () => {
  test('on 10,000 random graphs: never throws, is deterministic, and round-trips', () => {
    const incremental = createCompiler(registry);
    let specs = 0;
    fc.assert(
      fc.property(anyGraph, (graph) => {
        const first = compile(graph, registry);
        for (const d of first.diagnostics) expect(d.message).not.toMatch(/^the compiler failed/);
        expect(compile(structuredClone(graph), registry)).toEqual(first);
        expect(incremental.compile(graph)).toEqual(first);
        if (!first.spec) return;
        specs++;
        expect(Spec.parse(first.spec)).toEqual(first.spec);
        const again = compile(specToGraph(first.spec), registry);
        expect(again.spec).toEqual(first.spec);
        expect(again.hash).toBe(first.hash);
      }),
      { numRuns: 10_000, seed: 20_260_601 },
    );
    // The generator must reach the interesting part: graphs that compile.
    expect(specs).toBeGreaterThan(1000);
  }, 120_000);
});
