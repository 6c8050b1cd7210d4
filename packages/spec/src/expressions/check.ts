import type { Environment } from '@marcbachmann/cel-js';
import type { DiagnosticCode } from '../diagnostic-codes.js';
import type { SourceRange } from '../diagnostics.js';
import type { JsonSchema } from '../json-schema.js';
import type { ExpressionMode } from '../node-definition.js';
import { analyzeAst } from './analyze.js';
import { type ExpressionTypes, type TypedEnvironment, typedEnvironment } from './environment.js';
import { type ExpressionLimits, resolveLimits } from './limits.js';

/** A problem with an expression, before it is placed on a node. */
export interface ExpressionProblem {
  code: DiagnosticCode;
  message: string;
  hint?: string;
  range?: SourceRange;
}

export type ExpressionCheck =
  { ok: true; celType: string; schema: JsonSchema } | { ok: false; problem: ExpressionProblem };

const VARIABLES_HINT =
  'expressions see only `input`, `inputs` and `findings` (and `output` when compensating)';

/** Reads the fields cel-js puts on its errors without trusting their shape. */
export function describeCelError(error: unknown): {
  name: string;
  code: string;
  summary: string;
  range?: SourceRange;
} {
  if (!(error instanceof Error)) return { name: 'Error', code: 'unknown', summary: String(error) };
  const code = 'code' in error && typeof error.code === 'string' ? error.code : 'unknown';
  const summary = 'summary' in error && typeof error.summary === 'string' ? error.summary : error.message;
  const range =
    'range' in error && typeof error.range === 'object' && error.range !== null && 'start' in error.range
      ? toRange(error.range)
      : undefined;
  return range ? { name: error.name, code, summary, range } : { name: error.name, code, summary };
}

function toRange(value: object): SourceRange | undefined {
  const start = 'start' in value ? value.start : undefined;
  const end = 'end' in value ? value.end : undefined;
  return typeof start === 'number' && typeof end === 'number' ? { start, end } : undefined;
}

/** Maps a parse or type error thrown or returned by cel-js to a diagnostic code. */
export function problemFromCelError(error: unknown): ExpressionProblem {
  if (error instanceof RangeError) {
    return {
      code: 'SL405',
      message: 'the expression is nested too deeply to check',
      hint: 'split it into smaller steps',
    };
  }
  const { name, code, summary, range } = describeCelError(error);
  const withRange = (p: ExpressionProblem): ExpressionProblem => (range ? { ...p, range } : p);
  if (code === 'limit_exceeded') {
    return withRange({ code: 'SL405', message: summary, hint: 'split the expression into smaller steps' });
  }
  if (name === 'ParseError') return withRange({ code: 'SL401', message: summary });
  if (code === 'unknown_variable')
    return withRange({ code: 'SL403', message: summary, hint: VARIABLES_HINT });
  return withRange({ code: 'SL402', message: summary });
}

/**
 * Checks one expression in a typed environment: length, parse, static analysis (nesting, regexes,
 * cost), then types; a `condition` must produce `bool`. Never throws.
 */
export function checkInEnvironment(
  typed: TypedEnvironment,
  source: string,
  mode: ExpressionMode,
  limits: ExpressionLimits,
): ExpressionCheck {
  if (source.length > limits.maxLength) {
    return fail(
      'SL404',
      `the expression is ${source.length} characters long; the limit is ${limits.maxLength}`,
    );
  }
  if (source.trim() === '') return fail('SL401', 'the expression is empty');
  try {
    return checkParsed(typed.env, typed, source, mode, limits);
  } catch (error) {
    return { ok: false, problem: problemFromCelError(error) };
  }
}

function checkParsed(
  env: Environment,
  typed: TypedEnvironment,
  source: string,
  mode: ExpressionMode,
  limits: ExpressionLimits,
): ExpressionCheck {
  const parsed = env.parse(source);
  const analysis = analyzeAst(parsed.ast, limits);
  if (analysis.issue) {
    const { code, message, hint, range } = analysis.issue;
    return { ok: false, problem: { code, message, ...(hint ? { hint } : {}), ...(range ? { range } : {}) } };
  }
  const result = parsed.check();
  if (!result.valid) return { ok: false, problem: problemFromCelError(result.error) };
  const celType = result.type ?? 'dyn';
  if (mode === 'condition' && celType !== 'bool' && celType !== 'dyn') {
    return fail(
      'SL407',
      `a condition must be a bool, this expression is a ${celType}`,
      'compare it, e.g. `x > 0`',
    );
  }
  return { ok: true, celType, schema: typed.toSchema(celType) };
}

function fail(code: DiagnosticCode, message: string, hint?: string): ExpressionCheck {
  return { ok: false, problem: hint ? { code, message, hint } : { code, message } };
}

export interface CheckExpressionOptions extends ExpressionTypes {
  mode?: ExpressionMode;
  limits?: Partial<ExpressionLimits>;
}

/**
 * Type-checks a CEL expression against the schemas of its variables. Never throws and never runs the
 * expression.
 *
 * @example
 * checkExpression('input.amount > 1000.0', { input: { type: 'object', properties: { amount: { type: 'number' } } }, mode: 'condition' });
 * // { ok: true, celType: 'bool', schema: { type: 'boolean' } }
 * checkExpression('this.constructor'); // { ok: false, problem: { code: 'SL403', ... } }
 */
export function checkExpression(source: string, options: CheckExpressionOptions = {}): ExpressionCheck {
  const limits = resolveLimits(options.limits);
  const types: ExpressionTypes = {};
  if (options.input) types.input = options.input;
  if (options.output) types.output = options.output;
  try {
    return checkInEnvironment(typedEnvironment(types, limits), source, options.mode ?? 'value', limits);
  } catch (error) {
    return { ok: false, problem: problemFromCelError(error) };
  }
}
