// Checking a structured reply against the node's output schema (JSON Schema, via @cfworker/json-schema).
import { type OutputUnit, Validator } from '@cfworker/json-schema';
import type { JsonSchema } from '@sluice/spec';
import { StepError } from '../executor.js';

/** Keywords that only say "a nested value failed": the nested error says what. */
const WRAPPERS = new Set(['properties', 'items', 'prefixItems', 'additionalProperties', 'allOf', '$ref']);
const MAX_LISTED = 10;

/** One reason a reply does not fit, with where in the reply. */
export interface OutputProblem {
  at: string;
  keyword: string;
  message: string;
}

/** The reasons `value` does not fit `schema` (empty when it fits). */
export function outputProblems(schema: JsonSchema, value: unknown): OutputProblem[] {
  const result = new Validator(JSON.parse(JSON.stringify(schema)), '2020-12', false).validate(value);
  if (result.valid) return [];
  const specific = result.errors.filter((e) => !WRAPPERS.has(e.keyword));
  return (specific.length > 0 ? specific : result.errors).map(toProblem);
}

/**
 * The reply text parsed as JSON and checked against the schema. A reply that is not JSON, or does not
 * fit, fails the step with `AI_OUTPUT_INVALID` (retryable: the model may answer better next time),
 * the problems listed in the message and attached as the cause.
 *
 * @example
 * parseStructuredReply({ type: 'object', required: ['n'] }, '{"n": 1}'); // { n: 1 }
 */
export function parseStructuredReply(schema: JsonSchema, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StepError(
      'AI_OUTPUT_INVALID',
      `the reply is not JSON (${error instanceof Error ? error.message : String(error)})`,
      {
        retryable: true,
        cause: { problems: [{ at: '', keyword: 'json', message: 'not JSON' }] },
      },
    );
  }
  return checkStructured(schema, value);
}

/** Checks an already-parsed structured value; see {@link parseStructuredReply}. */
export function checkStructured(schema: JsonSchema, value: unknown): Record<string, unknown> {
  const problems = outputProblems(schema, value);
  if (problems.length === 0 && isRecord(value)) return value;
  const listed = problems.length > 0 ? problems : [{ at: '', keyword: 'type', message: 'not an object' }];
  const text = listed
    .slice(0, MAX_LISTED)
    .map((p) => `${p.at || '(the reply)'}: ${p.message}`)
    .join('; ');
  const more = listed.length > MAX_LISTED ? ` (and ${listed.length - MAX_LISTED} more)` : '';
  throw new StepError('AI_OUTPUT_INVALID', `the reply does not fit the output schema: ${text}${more}`, {
    retryable: true,
    cause: { problems: listed },
  });
}

function toProblem(unit: OutputUnit): OutputProblem {
  return { at: unit.instanceLocation.replace(/^#/, ''), keyword: unit.keyword, message: unit.error };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether a schema can be sent in OpenAI's strict mode (constrained decoding): every object lists all
 * its properties as required and forbids others. Strict mode refuses any other schema with HTTP 400,
 * so such schemas are sent non-strict and the reply is checked here instead.
 *
 * @example
 * strictCompatible({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false }); // true
 */
export function strictCompatible(schema: JsonSchema): boolean {
  const children = [
    ...Object.values(schema.properties ?? {}),
    ...(schema.items ? [schema.items] : []),
    ...(schema.anyOf ?? []),
  ];
  if (schema.oneOf !== undefined || schema.allOf !== undefined) return false;
  if (schema.type === 'object' || schema.properties !== undefined) {
    const keys = Object.keys(schema.properties ?? {});
    const required = new Set(schema.required ?? []);
    if (schema.additionalProperties !== false || keys.some((k) => !required.has(k))) return false;
  }
  return children.every(strictCompatible);
}
