import { describe, expect, test } from 'vitest';
import type { JsonSchema } from '../json-schema.js';
import { checkExpression } from './check.js';

const input: JsonSchema = {
  type: 'object',
  properties: {
    amount: { type: 'number' },
    count: { type: 'integer' },
    tier: { type: 'string', enum: ['gold', 'silver'] },
    tags: { type: 'array', items: { type: 'string' } },
    customer: { type: 'object', properties: { name: { type: 'string' }, vip: { type: 'boolean' } } },
    meta: { type: 'object', additionalProperties: { type: 'integer' } },
  },
};

describe('checkExpression: types from port schemas', () => {
  test.each([
    ['input.amount > 1000.0', 'bool'],
    ['input.count + 1', 'int'],
    ['input.tier == "gold"', 'bool'],
    ['input.tags.exists(t, t == "urgent")', 'bool'],
    ['input.customer.name', 'string'],
    ['input.meta["x"] * 2', 'int'],
    ['size(findings)', 'int'],
    ['findings.exists(f, f.severity == "high")', 'bool'],
    ['inputs.map(i, i.amount)', 'list<double>'],
    ['sum(inputs.map(i, i.count))', 'int'],
    ['{"total": input.amount, "n": input.count}', 'map<string, dyn>'],
  ])('%s : %s', (source, celType) => {
    const result = checkExpression(source, { input });
    expect(result).toMatchObject({ ok: true, celType });
  });

  test('inferred schema of a value', () => {
    expect(checkExpression('input.tags', { input })).toMatchObject({
      ok: true,
      schema: { type: 'array', items: { type: 'string' } },
    });
    expect(checkExpression('input.customer', { input })).toMatchObject({
      ok: true,
      schema: input.properties?.customer,
    });
  });

  test.each([
    ['input.amout > 1', 'SL402', /amout/],
    ['input.amount + 1', 'SL402', /overload/],
    ['input.customer.age', 'SL402', /age/],
    ['input.amount >', 'SL401', /./],
    ['', 'SL401', /empty/],
    ['output.id', 'SL403', /output/],
  ])('%s fails with %s', (source, code, message) => {
    const result = checkExpression(source, { input });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.code).toBe(code);
      expect(result.problem.message).toMatch(message);
    }
  });

  test('a condition must be a bool', () => {
    const result = checkExpression('input.amount * 2.0', { input, mode: 'condition' });
    expect(result).toMatchObject({ ok: false, problem: { code: 'SL407' } });
    expect(checkExpression('input.amount > 2.0', { input, mode: 'condition' }).ok).toBe(true);
  });

  test('compensation expressions see output', () => {
    const output: JsonSchema = { type: 'object', properties: { id: { type: 'string' } } };
    expect(checkExpression('output.id + input.tier', { input, output })).toMatchObject({
      ok: true,
      celType: 'string',
    });
  });

  test('errors carry the source range', () => {
    const result = checkExpression('input.amount > 1.0 && input.nope', { input });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.range).toEqual({ start: 28, end: 32 });
  });

  test('untyped input is dynamic', () => {
    expect(checkExpression('input.anything.goes + 1')).toMatchObject({ ok: true, celType: 'int' });
  });

  test('run metadata is typed: its fields are known, anything else is not', () => {
    expect(
      checkExpression('run.tokens > 50000 && run.initiatedBy != ""', { mode: 'condition' }),
    ).toMatchObject({
      ok: true,
    });
    expect(checkExpression('run.version + 1', {})).toMatchObject({ ok: true });
    expect(checkExpression('run.secret', {})).toMatchObject({ ok: false });
  });
});
