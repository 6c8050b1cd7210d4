import { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import { z } from 'zod';
import { isRecord } from '../guards.js';
import { type JsonSchema, singleType } from '../json-schema.js';
import type { ExpressionLimits } from './limits.js';

/** Any JSON value. */
export const JsonValue = z.json();
export type JsonValue = z.infer<typeof JsonValue>;

/** Thrown (and caught by the evaluator) when the context or a result breaks a limit. */
export class ValueLimitError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'ValueLimitError';
  }
}

interface Budget {
  values: number;
}

/**
 * Converts JSON data into CEL values, guided by the schema when there is one: `integer` fields become
 * CEL `int` (a bigint), `number` fields stay `double`; without a schema an integral number becomes an
 * `int`. Enforces the context limits (list size, string length, depth, total values) and copies
 * objects, so the expression never sees a prototype or the caller's objects.
 */
export function toCelValue(
  value: unknown,
  schema: JsonSchema | undefined,
  limits: ExpressionLimits,
  path: string,
): unknown {
  return convertIn(value, schema, limits, { values: 0 }, 0, path, undefined);
}

/** Where a value sits: its parent's path and its key, joined only when a message needs it. */
function pathOf(parent: string, key: string | number | undefined): string {
  if (key === undefined) return parent;
  return typeof key === 'number' ? `${parent}[${key}]` : `${parent}.${key}`;
}

function convertIn(
  value: unknown,
  schema: JsonSchema | undefined,
  limits: ExpressionLimits,
  budget: Budget,
  depth: number,
  parent: string,
  key: string | number | undefined,
): unknown {
  if (++budget.values > limits.maxContextValues) {
    throw new ValueLimitError(
      `the data holds more than ${limits.maxContextValues} values`,
      pathOf(parent, key),
    );
  }
  if (depth > limits.maxContextDepth) {
    throw new ValueLimitError(
      `the data is nested deeper than ${limits.maxContextDepth} levels`,
      pathOf(parent, key),
    );
  }
  if (value === null || typeof value === 'boolean' || typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new ValueLimitError(`${value} is not a JSON number`, pathOf(parent, key));
    const type = schema ? singleType(schema) : undefined;
    if (type === 'number') return value;
    return Number.isInteger(value) && Number.isSafeInteger(value) ? BigInt(value) : value;
  }
  if (typeof value === 'string') {
    if (value.length > limits.maxStringLength) {
      throw new ValueLimitError(
        `a string is longer than ${limits.maxStringLength} characters`,
        pathOf(parent, key),
      );
    }
    return value;
  }
  const path = pathOf(parent, key);
  if (Array.isArray(value)) {
    if (value.length > limits.maxListSize) {
      throw new ValueLimitError(
        `a list holds ${value.length} items; the limit is ${limits.maxListSize}`,
        path,
      );
    }
    const items = schema?.items;
    const converted: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      converted[i] = convertIn(value[i], items, limits, budget, depth + 1, path, i);
    }
    return converted;
  }
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length > limits.maxListSize) {
      throw new ValueLimitError(
        `an object holds ${keys.length} fields; the limit is ${limits.maxListSize}`,
        path,
      );
    }
    const extra = typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    // A fresh plain object with own data properties only, as Object.fromEntries makes: a "__proto__"
    // key stays a field and never becomes the object's prototype.
    const converted: Record<string, unknown> = {};
    for (const member of keys) {
      const item = convertIn(
        value[member],
        schema?.properties?.[member] ?? extra,
        limits,
        budget,
        depth + 1,
        path,
        member,
      );
      if (member === '__proto__') {
        Object.defineProperty(converted, member, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else converted[member] = item;
    }
    return converted;
  }
  throw new ValueLimitError(`a ${typeof value} is not JSON`, path);
}

/**
 * Converts a CEL result back to JSON: ints to numbers (refusing ones a JSON number cannot hold
 * exactly), maps to objects, bytes to base64, timestamps to ISO strings, durations to `"<n>s"`.
 */
export function fromCelValue(value: unknown, limits: ExpressionLimits): JsonValue {
  const budget = { values: 0 };
  return convertOut(value, limits, budget, 0, 'result');
}

function convertOut(
  value: unknown,
  limits: ExpressionLimits,
  budget: Budget,
  depth: number,
  path: string,
): JsonValue {
  if (++budget.values > limits.maxContextValues || depth > limits.maxContextDepth) {
    throw new ValueLimitError('the result is too large', path);
  }
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new ValueLimitError(`${value} does not fit a JSON number exactly`, path);
    }
    return Number(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValueLimitError(`${value} is not a JSON number`, path);
    return value;
  }
  if (value instanceof UnsignedInt) return convertOut(value.valueOf(), limits, budget, depth, path);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Duration) return value.toString();
  if (value instanceof Uint8Array) return base64(value);
  if (Array.isArray(value))
    return value.map((item, i) => convertOut(item, limits, budget, depth + 1, `${path}[${i}]`));
  if (value instanceof Map) {
    return Object.fromEntries(
      [...value].map(([k, v]) => [
        String(k),
        convertOut(v, limits, budget, depth + 1, `${path}.${String(k)}`),
      ]),
    );
  }
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, convertOut(v, limits, budget, depth + 1, `${path}.${k}`)]),
    );
  }
  return String(value);
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
