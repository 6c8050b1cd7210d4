import { describe, expect, test } from 'vitest';
import { checkExpression } from './check.js';
import { evaluateExpression } from './evaluate.js';

// Expressions are user data. None of these may reach the host: each fails with a clear code at
// check time and at run time, and nothing is thrown.
const attempts: [string, RegExp][] = [
  ['this.constructor', /SL40[13]/],
  ['this', /SL40[13]/],
  ['process', /SL403/],
  ['process.env.HOME', /SL403/],
  ['globalThis', /SL403/],
  ['globalThis.process.exit(1)', /SL40[13]/],
  ['require("fs")', /SL40[12]/],
  ['input.constructor', /SL4(02|12)/],
  ['input.__proto__', /SL4(02|12)/],
  ['input["__proto__"]', /SL4(02|12)/],
  ['input.constructor.constructor("return process")()', /SL401/],
  ['input.toString', /SL4(02|12)/],
  ['[].constructor', /SL40[12]/],
  ['"".constructor.prototype', /SL40[12]/],
  ['eval("1")', /SL40[12]/],
  ['Function("return 1")()', /SL40[12]/],
];

describe('expressions cannot leave their data', () => {
  test.each(attempts)('check refuses %s', (source, code) => {
    const result = checkExpression(source, {
      input: { type: 'object', properties: { a: { type: 'string' } } },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.code).toMatch(code);
  });

  test.each(attempts)('evaluate refuses %s', (source, code) => {
    const result = evaluateExpression(source, { input: { a: 'x' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.code).toMatch(code);
  });

  test('a __proto__ key in the data is only data', () => {
    const data: unknown = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const result = evaluateExpression('input.a', { input: data });
    expect(result).toEqual({ ok: true, value: 1 });
    expect('polluted' in {}).toBe(false);
  });

  test('inherited properties of the data are not visible', () => {
    const data: object = Object.create({ secret: 'inherited' });
    const result = evaluateExpression('input.secret', { input: data });
    expect(result.ok).toBe(false);
  });
});
