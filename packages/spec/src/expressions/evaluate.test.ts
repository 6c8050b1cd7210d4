import { describe, expect, test } from 'vitest';
import type { JsonSchema } from '../json-schema.js';
import { checkExpression } from './check.js';
import { evaluateExpression, renderTemplate } from './evaluate.js';

const types: { input: JsonSchema } = {
  input: {
    type: 'object',
    properties: {
      n: { type: 'integer' },
      price: { type: 'number' },
      items: { type: 'array', items: { type: 'integer' } },
    },
  },
};

describe('evaluateExpression', () => {
  test.each([
    ['input.n + 1', { n: 1 }, 2],
    ['input.price + 0.5', { price: 2 }, 2.5],
    ['input.price > 1', { price: 2 }, true],
    ['input.items.map(i, i * 2)', { items: [1, 2, 3] }, [2, 4, 6]],
    ['sum(input.items)', { items: [1, 2, 3] }, 6],
    ['{"total": input.n, "label": "x"}', { n: 4 }, { total: 4, label: 'x' }],
    ['b"hi"', {}, 'aGk='],
    ['timestamp("2024-01-01T00:00:00Z")', {}, '2024-01-01T00:00:00.000Z'],
    ['duration("90s")', {}, '90s'],
  ])('%s with %j → %j', (source, input, value) => {
    expect(evaluateExpression(source, { input }, { types })).toEqual({ ok: true, value });
  });

  test('without a schema, integral numbers are ints', () => {
    expect(evaluateExpression('input.n + 1', { input: { n: 41 } })).toEqual({ ok: true, value: 42 });
  });

  test('inputs and findings are visible', () => {
    const scope = {
      input: { n: 1 },
      inputs: [{ n: 1 }, { n: 2 }],
      findings: [
        {
          nodeId: 'v',
          check: 'detector' as const,
          name: 'email',
          severity: 'high' as const,
          path: '/e',
          message: 'm',
          action: 'flag' as const,
        },
      ],
    };
    expect(evaluateExpression('sum(inputs.map(i, i.n))', scope)).toEqual({ ok: true, value: 3 });
    expect(evaluateExpression('findings.exists(f, f.severity == "high")', scope)).toEqual({
      ok: true,
      value: true,
    });
  });

  test('runtime errors are values', () => {
    expect(evaluateExpression('input.missing', { input: {} })).toMatchObject({
      ok: false,
      problem: { code: 'SL412' },
    });
    expect(evaluateExpression('1 / 0', {})).toMatchObject({ ok: false, problem: { code: 'SL412' } });
    expect(evaluateExpression('9223372036854775807 + 1', {})).toMatchObject({
      ok: false,
      problem: { code: 'SL412' },
    });
  });

  test('a condition must produce a bool', () => {
    expect(evaluateExpression('1 + 1', {}, { mode: 'condition' })).toMatchObject({
      ok: false,
      problem: { code: 'SL407' },
    });
    expect(evaluateExpression('1 < 2', {}, { mode: 'condition' })).toEqual({ ok: true, value: true });
  });

  test('results JSON cannot hold are refused', () => {
    expect(evaluateExpression('9007199254740993', {})).toMatchObject({
      ok: false,
      problem: { code: 'SL414' },
    });
    expect(evaluateExpression('1.0 / 0.0', {})).toMatchObject({ ok: false, problem: { code: 'SL414' } });
  });
});

describe('evaluation is bounded', () => {
  test('expression length is capped', () => {
    const long = Array.from({ length: 3000 }, () => '1').join('+');
    expect(evaluateExpression(long, {})).toMatchObject({ ok: false, problem: { code: 'SL404' } });
    expect(checkExpression(long)).toMatchObject({ ok: false, problem: { code: 'SL404' } });
  });

  test('deep nesting is refused, not a stack overflow', () => {
    const deep = `${'('.repeat(500)}1${')'.repeat(500)}`;
    expect(evaluateExpression(deep, {}, { limits: { maxLength: 10_000 } })).toMatchObject({
      ok: false,
      problem: { code: 'SL405' },
    });
    const unary = `${'!'.repeat(3000)}true`;
    const result = evaluateExpression(unary, {}, { limits: { maxLength: 10_000 } });
    expect(result).toMatchObject({ ok: false, problem: { code: 'SL405' } });
    const ors = Array.from({ length: 3000 }, (_, i) => `input.a == ${i}`).join(' || ');
    expect(evaluateExpression(ors, { input: { a: 1 } }, { limits: { maxLength: 100_000 } })).toMatchObject({
      ok: false,
      problem: { code: 'SL405' },
    });
  });

  test('nested comprehensions are refused at check time', () => {
    const source = 'input.items.map(a, input.items.map(b, a * b))';
    expect(checkExpression(source, types)).toMatchObject({ ok: false, problem: { code: 'SL406' } });
    expect(evaluateExpression(source, { input: { items: [1, 2] } })).toMatchObject({
      ok: false,
      problem: { code: 'SL406' },
    });
  });

  test('a costly scan inside a comprehension is refused', () => {
    const source = 'input.items.all(a, a in input.items)';
    expect(checkExpression(source, types)).toMatchObject({ ok: false, problem: { code: 'SL410' } });
    expect(checkExpression('input.items.all(a, a > 0)', types).ok).toBe(true);
  });

  test('lists, strings and depth of the context are capped', () => {
    const big = Array.from({ length: 1001 }, (_, i) => i);
    expect(evaluateExpression('size(input.items)', { input: { items: big } })).toMatchObject({
      ok: false,
      problem: { code: 'SL413', message: expect.stringMatching(/input.items/) },
    });
    expect(
      evaluateExpression('size(input)', { input: 'x'.repeat(11) }, { limits: { maxStringLength: 10 } }),
    ).toMatchObject({
      ok: false,
      problem: { code: 'SL413' },
    });
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(evaluateExpression('true', { input: deep })).toMatchObject({
      ok: false,
      problem: { code: 'SL413' },
    });
    expect(evaluateExpression('true', { input: { n: Number.NaN } })).toMatchObject({
      ok: false,
      problem: { code: 'SL413' },
    });
  });

  test('a worst-case allowed expression stays fast', () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const start = performance.now();
    const result = evaluateExpression('input.items.filter(a, a % 7 == 0).map(a, a * 3).exists(a, a > 2980)', {
      input: { items },
    });
    expect(result).toEqual({ ok: true, value: true });
    // Not a benchmark: a generous bound that a runaway evaluation would blow through.
    expect(performance.now() - start).toBeLessThan(1000);
  });

  test('unsafe and non-literal regexes are refused', () => {
    expect(evaluateExpression('input.s.matches("(a+)+$")', { input: { s: 'aaaa' } })).toMatchObject({
      ok: false,
      problem: { code: 'SL409' },
    });
    expect(evaluateExpression('input.s.matches(input.p)', { input: { s: 'a', p: 'a' } })).toMatchObject({
      ok: false,
      problem: { code: 'SL409' },
    });
    expect(evaluateExpression('input.s.matches("^[a-z]+$")', { input: { s: 'abc' } })).toEqual({
      ok: true,
      value: true,
    });
  });

  test('cel.bind is not available', () => {
    expect(evaluateExpression('cel.bind(x, 1, x + 1)', {})).toMatchObject({
      ok: false,
      problem: { code: 'SL411' },
    });
  });
});

describe('renderTemplate', () => {
  test('interpolates values', () => {
    const result = renderTemplate(
      'Refund {{ input.amount }} to {{input.name}} for {{ input.items }}{{ input.none }}.',
      {
        input: { amount: 12.5, name: 'Ada', items: [1, 2], none: null },
      },
    );
    expect(result).toEqual({ ok: true, value: 'Refund 12.5 to Ada for [1,2].' });
  });

  test('escaped braces and braces inside strings', () => {
    expect(renderTemplate('\\{{ not }} {{ "}}" }}', {})).toEqual({ ok: true, value: '{{ not }} }}' });
  });

  test('reports the failing part with its range', () => {
    expect(renderTemplate('Hi {{ input.nope }}', { input: {} })).toMatchObject({
      ok: false,
      problem: { code: 'SL412', range: { start: 6, end: 16 } },
    });
    expect(renderTemplate('Hi {{ input', {})).toMatchObject({ ok: false, problem: { code: 'SL408' } });
  });
});
