import type { CompilePolicy } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { aiNode } from './definition.js';

const policy: CompilePolicy = { trustedHosts: ['llm.internal'], externalClearance: 'public' };
const parse = (config: unknown) => aiNode.configSchema.parse(config);
const codes = (config: unknown) =>
  aiNode.checks({ id: 'a', label: 'A', owner: 'o', config: parse(config) }, { policy }).map((d) => d.code);

describe('ai', () => {
  test.each([
    { model: 'gpt-4o-mini', credential: 'k', prompt: 'Hi {{ input.name }}' },
    {
      provider: 'anthropic',
      model: 'claude',
      credential: 'k',
      prompt: 'x',
      outputSchema: { type: 'object' },
      temperature: 0,
      maxTokens: 10,
      costLimitUsd: 0.01,
    },
    { provider: 'ollama', model: 'llama3', baseUrl: 'http://localhost:11434', prompt: 'x' },
    { provider: 'offline', model: 'm', prompt: 'x', budget: { stepTokens: 500, runTokens: 5000 } },
    { provider: 'offline', model: 'm', prompt: 'x', budget: {} },
  ])('accepts %j', (config) => {
    expect(aiNode.configSchema.safeParse(config).success).toBe(true);
  });

  test.each([
    { model: '', prompt: 'x' },
    { model: 'm', prompt: '   ' },
    { model: 'm', prompt: 'x', provider: 'gemini' },
    { model: 'm', prompt: 'x', temperature: 3 },
    { model: 'm', prompt: 'x', maxTokens: 0 },
    { model: 'm', prompt: 'x', outputSchema: { type: 'string' } },
    { model: 'm', prompt: 'x', baseUrl: 'ftp://x' },
    { model: 'm', prompt: 'x', credential: 'has space' },
    { model: 'm', prompt: 'x', budget: { stepTokens: 0 } },
    { model: 'm', prompt: 'x', budget: { runTokens: 1.5 } },
    { model: 'm', prompt: 'x', budget: { steps: 10 } },
  ])('refuses %j', (config) => {
    expect(aiNode.configSchema.safeParse(config).success).toBe(false);
  });

  test('checks credentials and base URLs', () => {
    expect(codes({ model: 'm', prompt: 'x' })).toEqual(['SL701']);
    expect(codes({ provider: 'azure', model: 'm', prompt: 'x', credential: 'k' })).toEqual(['SL707']);
    expect(codes({ provider: 'offline', model: 'echo', prompt: 'x' })).toEqual([]);
  });

  test.each([
    [{ provider: 'openai', model: 'm', prompt: 'x' }, true],
    [{ provider: 'offline', model: 'm', prompt: 'x' }, false],
    [{ provider: 'ollama', model: 'm', prompt: 'x', baseUrl: 'http://127.0.0.1:11434' }, false],
    [{ provider: 'openai-compatible', model: 'm', prompt: 'x', baseUrl: 'https://llm.internal/v1' }, false],
    [
      { provider: 'openai-compatible', model: 'm', prompt: 'x', baseUrl: 'https://api.together.xyz/v1' },
      true,
    ],
  ])('egress of %j is %s', (config, egress) => {
    expect(aiNode.classification.egress(parse(config), policy)).toBe(egress);
  });

  test('structured output types the output port', () => {
    const outputSchema = { type: 'object', properties: { category: { type: 'string' } } };
    expect(aiNode.outputs(parse({ model: 'm', prompt: 'x', outputSchema }))[0]?.schema).toEqual(outputSchema);
    expect(aiNode.outputs(parse({ model: 'm', prompt: 'x' }))[0]?.schema).toMatchObject({
      properties: { text: { type: 'string' } },
    });
  });
});
