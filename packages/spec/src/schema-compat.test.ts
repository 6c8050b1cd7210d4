import { describe, expect, test } from 'vitest';
import type { JsonSchema } from './json-schema.js';
import { joinSchemas, schemaMismatch } from './schema-compat.js';

const obj = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required,
});

describe('schemaMismatch', () => {
  test.each<[string, JsonSchema, JsonSchema]>([
    ['anything into any', { type: 'string' }, {}],
    ['any into anything', {}, { type: 'object' }],
    ['integer into number', { type: 'integer' }, { type: 'number' }],
    [
      'required field present',
      obj({ id: { type: 'string' } }, ['id']),
      obj({ id: { type: 'string' } }, ['id']),
    ],
    ['free-form object into a typed one', { type: 'object' }, obj({ id: { type: 'string' } }, ['id'])],
    ['enum subset', { type: 'string', enum: ['a'] }, { type: 'string', enum: ['a', 'b'] }],
    [
      'arrays of integers into arrays of numbers',
      { type: 'array', items: { type: 'integer' } },
      { type: 'array', items: { type: 'number' } },
    ],
    ['unions are left to run time', { anyOf: [{ type: 'string' }] }, { type: 'number' }],
  ])('accepts: %s', (_, source, target) => {
    expect(schemaMismatch(source, target)).toBeUndefined();
  });

  test.each<[string, JsonSchema, JsonSchema, string, RegExp]>([
    ['string into object', { type: 'string' }, { type: 'object' }, '', /expected object, got string/],
    ['number into integer', { type: 'number' }, { type: 'integer' }, '', /expected integer/],
    [
      'missing required field',
      obj({ name: { type: 'string' } }),
      obj({ id: { type: 'string' } }, ['id']),
      'id',
      /required/,
    ],
    [
      'nested type',
      obj({ a: obj({ b: { type: 'string' } }) }),
      obj({ a: obj({ b: { type: 'integer' } }) }),
      'a.b',
      /integer/,
    ],
    [
      'enum superset',
      { type: 'string', enum: ['a', 'c'] },
      { type: 'string', enum: ['a', 'b'] },
      '',
      /outside/,
    ],
    [
      'array items',
      { type: 'array', items: { type: 'string' } },
      { type: 'array', items: { type: 'number' } },
      '[]',
      /number/,
    ],
  ])('refuses: %s', (_, source, target, path, message) => {
    const mismatch = schemaMismatch(source, target);
    expect(mismatch?.path).toBe(path);
    expect(mismatch?.message).toMatch(message);
  });
});

describe('joinSchemas', () => {
  test('keeps the shared properties with joined types', () => {
    const a = obj({ id: { type: 'string' }, n: { type: 'integer' }, x: { type: 'boolean' } }, ['id', 'n']);
    const b = obj({ id: { type: 'string' }, n: { type: 'number' } }, ['id']);
    expect(joinSchemas(a, b)).toEqual(obj({ id: { type: 'string' }, n: { type: 'number' } }, ['id']));
  });

  test.each<[JsonSchema, JsonSchema, JsonSchema]>([
    [{ type: 'string' }, { type: 'string' }, { type: 'string' }],
    [{ type: 'string' }, { type: 'integer' }, {}],
    [{}, { type: 'string' }, {}],
    [
      { type: 'array', items: { type: 'integer' } },
      { type: 'array', items: { type: 'number' } },
      { type: 'array', items: { type: 'number' } },
    ],
  ])('%j ⊔ %j = %j', (a, b, joined) => {
    expect(joinSchemas(a, b)).toEqual(joined);
  });
});
