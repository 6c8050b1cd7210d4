import type { JsonSchema } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { OFFLINE_LABEL, offlineObject, offlineText } from './offline.js';
import { outputProblems, strictCompatible } from './structured-output.js';

describe('offline stand-in', () => {
  test('the text is labelled, quotes the prompt, and cuts a long one', () => {
    expect(offlineText('Hi')).toBe(`${OFFLINE_LABEL} Received a prompt of 2 characters: "Hi"`);
    const long = offlineText('x'.repeat(500));
    expect(long.startsWith(OFFLINE_LABEL)).toBe(true);
    expect(long).toContain(`${'x'.repeat(160)}…"`);
    expect(long).not.toContain('x'.repeat(161));
  });

  test.each<[JsonSchema, unknown]>([
    [{ type: 'object', properties: { ok: { type: 'boolean' } } }, { ok: false }],
    [
      { type: 'object', properties: { c: { const: 'fixed' }, e: { enum: [3, 4] } } },
      { c: 'fixed', e: 3 },
    ],
    [
      {
        type: 'object',
        properties: { n: { type: 'number', minimum: 2.5 }, i: { type: 'integer', minimum: 1.2 } },
      },
      { n: 2.5, i: 2 },
    ],
    [{ type: 'object', properties: { s: { type: 'string', maxLength: 8 } } }, { s: '[offline' }],
    [
      { type: 'object', properties: { s: { type: 'string', minLength: 30 } } },
      { s: `${OFFLINE_LABEL}.......` },
    ],
    [
      { type: 'object', properties: { a: { type: 'array', items: { type: 'null' }, minItems: 2 } } },
      { a: [null, null] },
    ],
    [{ type: 'object', properties: { u: { anyOf: [{ type: 'integer' }, { type: 'string' }] } } }, { u: 0 }],
  ])('%j → %j, which fits the schema', (schema, expected) => {
    const value = offlineObject(schema);
    expect(value).toEqual(expected);
    expect(outputProblems(schema, value)).toEqual([]);
  });
});

describe('output problems', () => {
  const schema: JsonSchema = {
    type: 'object',
    properties: { total: { type: 'number' }, lines: { type: 'array', items: { type: 'string' } } },
    required: ['total'],
  };

  test.each([
    [{ total: 1, lines: ['a'] }, []],
    [{ total: '1' }, ['/total']],
    [{ lines: [] }, ['']],
    [{ total: 1, lines: ['a', 2] }, ['/lines/1']],
  ])('%j → problems at %j', (value, at) => {
    expect(outputProblems(schema, value).map((p) => p.at)).toEqual(at);
  });
});

describe('strict-mode compatibility', () => {
  const closed = (properties: Record<string, JsonSchema>): JsonSchema => ({
    type: 'object',
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  });

  test.each<[string, JsonSchema, boolean]>([
    ['closed, all required', closed({ a: { type: 'string' } }), true],
    [
      'nested closed objects in arrays',
      closed({ xs: { type: 'array', items: closed({ n: { type: 'number' } }) } }),
      true,
    ],
    ['an optional property', { ...closed({ a: { type: 'string' } }), required: [] }, false],
    ['extra properties allowed', { ...closed({ a: { type: 'string' } }), additionalProperties: true }, false],
    ['a nested open object', closed({ o: { type: 'object', properties: {} } }), false],
    ['oneOf', closed({ u: { oneOf: [{ type: 'string' }] } }), false],
  ])('%s → %s', (_name, schema, strict) => {
    expect(strictCompatible(schema)).toBe(strict);
  });
});
