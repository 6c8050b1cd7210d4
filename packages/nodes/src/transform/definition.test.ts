import type { JsonSchema } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { transformNode } from './definition.js';

describe('transform', () => {
  test.each([{ mapping: { a: 'input.x' } }, { mapping: { total: 'input.a + input.b', _n: '1' } }])(
    'accepts %j',
    (config) => {
      expect(transformNode.configSchema.safeParse(config).success).toBe(true);
    },
  );

  test.each([
    { mapping: {} },
    { mapping: { 'a-b': 'x' } },
    { mapping: { a: '' } },
    { mapping: { a: 1 } },
    {},
  ])('refuses %j', (config) => {
    expect(transformNode.configSchema.safeParse(config).success).toBe(false);
  });

  test('output fields carry the inferred expression types', () => {
    const config = transformNode.configSchema.parse({ mapping: { n: 'input.n + 1', s: 'input.s' } });
    const typeOf = (path: readonly (string | number)[]): JsonSchema | undefined =>
      path[2] === 'n' ? { type: 'integer' } : undefined;
    expect(transformNode.outputs(config, { input: {}, typeOf })[0]?.schema).toEqual({
      type: 'object',
      properties: { n: { type: 'integer' }, s: {} },
      required: ['n', 's'],
    });
    expect(transformNode.infersOutputs).toBe(true);
  });
});
