import { describe, expect, test } from 'vitest';
import { outputNode } from './definition.js';

describe('output', () => {
  test.each([{}, { mapping: { id: 'input.id' } }, { schema: { type: 'object' } }])('accepts %j', (config) => {
    expect(outputNode.configSchema.safeParse(config).success).toBe(true);
  });

  test.each([{ mapping: { 'bad key': 'x' } }, { mapping: { a: '' } }, { result: {} }])(
    'refuses %j',
    (config) => {
      expect(outputNode.configSchema.safeParse(config).success).toBe(false);
    },
  );

  test('the result schema types the input only when the input is the result', () => {
    const schema = { type: 'object', required: ['id'] };
    expect(outputNode.inputs(outputNode.configSchema.parse({ schema }))[0]?.schema).toEqual(schema);
    expect(
      outputNode.inputs(outputNode.configSchema.parse({ schema, mapping: { id: 'input.x' } }))[0]?.schema,
    ).toEqual({});
    expect(outputNode.outputs(outputNode.defaultConfig)).toEqual([]);
  });
});
