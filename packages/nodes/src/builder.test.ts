import { compile, SpecBuildError, workflow } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { fixtureGraph } from '../test/fixtures.js';
import { type NodeConfigInputs, registry } from './registry.js';

const contractReview = () =>
  workflow<NodeConfigInputs>('Contract review')
    .owner('legal')
    .describe('Summarise a contract and collect two legal sign-offs.')
    .access({
      trigger: ['editor', 'operator'],
      approve: ['reviewer'],
      operate: ['operator'],
      audit: ['auditor', 'owner'],
    })
    .trigger(
      {
        type: 'manual',
        input: {
          type: 'object',
          properties: {
            title: { type: 'string' },
            counterparty: { type: 'string' },
            text: { type: 'string', maxLength: 500000 },
            value: { type: 'number' },
          },
          required: ['title', 'counterparty', 'text', 'value'],
        },
      },
      { label: 'Upload contract', classification: 'restricted' },
    )
    .ai(
      'summarise',
      {
        provider: 'ollama',
        baseUrl: 'http://localhost:11434',
        model: 'llama3.1:70b',
        system: 'You are a careful contract analyst.',
        prompt:
          'Summarise the obligations, termination and liability clauses of "{{ input.title }}" with {{ input.counterparty }}:\n\n{{ input.text }}',
        outputSchema: {
          type: 'object',
          properties: {
            summary: { type: 'string' },
            risks: { type: 'array', items: { type: 'string' } },
            riskLevel: { type: 'string', enum: ['low', 'medium', 'high'] },
          },
          required: ['summary', 'risks', 'riskLevel'],
        },
        maxTokens: 2000,
      },
      { label: 'Summarise contract', timeoutMs: 300_000 },
    )
    .gate(
      'legal_signoff',
      {
        tiers: [
          {
            when: 'input.riskLevel == "high"',
            tier: 'review',
            reason: 'high-risk contracts always need counsel',
          },
        ],
        defaultTier: 'review',
        approvers: {
          roles: [],
          users: ['ana.ruiz@example.com', 'ben.okafor@example.com', 'chen.li@example.com'],
        },
        quorum: 2,
        separationOfDuties: { excludeInitiator: true, excludeUpstreamOwners: true },
        summary: 'Sign-off: {{ size(input.risks) }} risks flagged, level {{ input.riskLevel }}',
        show: [
          { label: 'Summary', value: 'input.summary' },
          { label: 'Risks', value: 'input.risks' },
        ],
      },
      { label: '2-of-3 legal approval', owner: 'legal' },
    )
    .output(
      'signed_off',
      { mapping: { summary: 'input.summary', riskLevel: 'input.riskLevel' } },
      { label: 'Signed off' },
    );

describe('workflow builder', () => {
  test('builds the same spec as the editor graph of the same workflow', () => {
    const fromCode = contractReview().build(registry);
    const fromCanvas = compile(fixtureGraph('contract-review'), registry);
    expect(fromCode).toEqual(fromCanvas.spec);
    expect(compile(contractReview().toGraph(), registry).hash).toBe(fromCanvas.hash);
  });

  test('branches continue from a named case; connect adds edges', () => {
    const spec = workflow<NodeConfigInputs>('Route')
      .owner('ops')
      .trigger({ type: 'manual', input: { type: 'object', properties: { n: { type: 'integer' } } } })
      .branch('route', { cases: [{ port: 'big', when: 'input.n > 10' }] })
      .from('route.big')
      .output('big', {})
      .from('route.default')
      .transform('shape', { mapping: { n: 'input.n' } })
      .output('small', {})
      .build(registry);
    expect(spec.edges).toContainEqual({
      from: { node: 'route', port: 'big' },
      to: { node: 'big', port: 'in' },
    });
    expect(spec.edges).toContainEqual({
      from: { node: 'route', port: 'default' },
      to: { node: 'shape', port: 'in' },
    });
    expect(Object.keys(spec.nodes).sort()).toEqual(['big', 'route', 'shape', 'small']);
  });

  test('a step after a branch must name the case', () => {
    const builder = workflow<NodeConfigInputs>('x')
      .trigger({ type: 'manual' })
      .branch('b', { cases: [{ port: 'a', when: 'true' }] });
    expect(() => builder.output('o', {})).toThrow(/name the case/);
  });

  test('build throws SpecBuildError with the diagnostics', () => {
    const broken = workflow<NodeConfigInputs>('x')
      .trigger({ type: 'manual' })
      .transform('t', { mapping: { a: 'input.' } })
      .output('o', {});
    expect(() => broken.build(registry)).toThrow(SpecBuildError);
    try {
      broken.build(registry);
    } catch (error) {
      expect(error instanceof SpecBuildError && error.diagnostics.map((d) => d.code)).toEqual(['SL401']);
    }
  });

  test('a join with explicit upstream ports', () => {
    const spec = workflow<NodeConfigInputs>('Join')
      .trigger({ type: 'manual', input: { type: 'object', properties: { n: { type: 'integer' } } } })
      .transform('a', { mapping: { n: 'input.n + 1' } })
      .transform('b', { mapping: { n: 'input.n + 2' } }, { after: 'trigger' })
      .transform('sum', { mapping: { total: 'sum(inputs.map(i, i.n))' } }, { after: ['a', 'b'] })
      .connect('sum', 'done')
      .output('done', {}, { after: [] })
      .build(registry);
    expect(spec.edges.filter((e) => e.to.node === 'sum')).toHaveLength(2);
    expect(spec.edges.filter((e) => e.to.node === 'done')).toHaveLength(1);
  });
});
