import { describe, expect, test } from 'vitest';
import type { JsonSchema } from '../json-schema.js';
import { celTypeToSchema, planCelTypes } from './cel-types.js';

describe('planCelTypes', () => {
  test.each<[JsonSchema, string]>([
    [{ type: 'string' }, 'string'],
    [{ type: 'integer' }, 'int'],
    [{ type: 'number' }, 'double'],
    [{ type: 'boolean' }, 'bool'],
    [{ type: 'array', items: { type: 'integer' } }, 'list<int>'],
    [{ type: 'array' }, 'list<dyn>'],
    [{ type: 'object' }, 'map<string, dyn>'],
    [{ type: 'object', additionalProperties: { type: 'number' } }, 'map<string, double>'],
    [{ type: ['string', 'null'] }, 'dyn'],
    [{ anyOf: [{ type: 'string' }] }, 'dyn'],
    [{}, 'dyn'],
    [{ enum: ['a', 'b'] }, 'string'],
  ])('%j → %s', (schema, type) => {
    expect(planCelTypes(schema, 'Input').type).toBe(type);
  });

  test('objects with properties become message types, children first', () => {
    const plan = planCelTypes(
      {
        type: 'object',
        properties: {
          customer: { type: 'object', properties: { name: { type: 'string' } } },
          n: { type: 'integer' },
        },
      },
      'Input',
    );
    expect(plan.type).toBe('Input');
    expect(plan.declarations).toEqual([
      { name: 'Input_customer', fields: { name: 'string' } },
      { name: 'Input', fields: { customer: 'Input_customer', n: 'int' } },
    ]);
  });

  test('property names that are not identifiers make the object a map', () => {
    expect(
      planCelTypes({ type: 'object', properties: { 'first-name': { type: 'string' } } }, 'Input').type,
    ).toBe('map<string, dyn>');
  });
});

describe('celTypeToSchema', () => {
  test.each([
    ['int', { type: 'integer' }],
    ['double', { type: 'number' }],
    ['list<list<string>>', { type: 'array', items: { type: 'array', items: { type: 'string' } } }],
    ['map<string, bool>', { type: 'object', additionalProperties: { type: 'boolean' } }],
    ['dyn', {}],
    ['Unknown', {}],
  ])('%s', (type, schema) => {
    expect(celTypeToSchema(type, new Map())).toEqual(schema);
  });
});
