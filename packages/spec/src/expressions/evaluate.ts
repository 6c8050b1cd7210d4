import type { ParseResult } from '@marcbachmann/cel-js';
import { canonicalJson } from '../canonical-json.js';
import type { ExpressionMode } from '../node-definition.js';
import { analyzeAst } from './analyze.js';
import { type ExpressionProblem, problemFromCelError } from './check.js';
import { type ExpressionTypes, runtimeEnvironment } from './environment.js';
import type { Finding } from './finding.js';
import { NO_RUN, RUN_METADATA_SCHEMA, type RunMetadata } from './run-metadata.js';
import { DEFAULT_EXPRESSION_LIMITS, type ExpressionLimits, parseLimitsKey, resolveLimits } from './limits.js';
import { parseTemplate } from './template.js';
import { fromCelValue, type JsonValue, toCelValue, ValueLimitError } from './values.js';

/** The data an expression is evaluated against: nothing else is reachable from it. */
export interface ExpressionScope {
  input?: unknown;
  inputs?: readonly unknown[];
  findings?: readonly Finding[];
  /** The run the expression runs in; {@link NO_RUN} when absent. */
  run?: RunMetadata;
  output?: unknown;
}

export interface EvaluateOptions {
  mode?: Exclude<ExpressionMode, 'template'>;
  /** Schemas of `input` and `output`: `integer` fields become CEL ints, `number` fields doubles. */
  types?: ExpressionTypes;
  limits?: Partial<ExpressionLimits>;
}

export type EvaluateResult = { ok: true; value: JsonValue } | { ok: false; problem: ExpressionProblem };

interface Prepared {
  run?: ParseResult;
  /** The scope's variables the expression names: only these are converted for an evaluation. */
  names?: ReadonlySet<string>;
  problem?: ExpressionProblem;
}

/** Every identifier in a cel-js AST: a walk over every array item and object property, each once. */
function namesIn(root: unknown): Set<string> {
  const names = new Set<string>();
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const { op, args } = node as { op?: unknown; args?: unknown };
    if (op === 'id' && typeof args === 'string') names.add(args);
    stack.push(...Object.values(node));
  }
  return names;
}

const PREPARED_CACHE_SIZE = 4096;
const prepared = new Map<string, Prepared>();
/** Under the default limits (nearly every evaluation), keyed by the source alone: no key to build. */
const preparedByDefault = new Map<string, Prepared>();

function prepare(source: string, limits: ExpressionLimits): Prepared {
  const byDefault = limits === DEFAULT_EXPRESSION_LIMITS;
  const cache = byDefault ? preparedByDefault : prepared;
  const key = byDefault
    ? source
    : `${parseLimitsKey(limits)}/${limits.maxCost}/${limits.maxListSize}|${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let entry: Prepared;
  try {
    const run = runtimeEnvironment(limits).parse(source);
    const analysis = analyzeAst(run.ast, limits);
    // With `dyn` variables the check still finds unknown names and functions before anything runs.
    const checked = analysis.issue ? undefined : run.check();
    if (analysis.issue) entry = { problem: analysis.issue };
    else if (checked && !checked.valid) entry = { problem: problemFromCelError(checked.error) };
    else entry = { run, names: namesIn(run.ast) };
  } catch (error) {
    entry = { problem: problemFromCelError(error) };
  }
  if (cache.size >= PREPARED_CACHE_SIZE) cache.clear();
  cache.set(key, entry);
  return entry;
}

/**
 * The scope as CEL values. The data (`input`, `inputs`, `output`) is always converted, so its limits
 * hold whatever the expression reads; the engine's own metadata (`findings`, `run`) only when the
 * expression names it: `input.n + 1` evaluated for every step of a run need not convert the run.
 */
function scopeToContext(
  scope: ExpressionScope,
  types: ExpressionTypes,
  limits: ExpressionLimits,
  names: ReadonlySet<string> | undefined,
): Record<string, unknown> {
  if (scope.inputs && scope.inputs.length > limits.maxListSize) {
    throw new ValueLimitError('too many upstream inputs', 'inputs');
  }
  const input = toCelValue(scope.input ?? null, types.input, limits, 'input');
  const context: Record<string, unknown> = {
    input,
    // One upstream step: `inputs` is `[input]`, the same value converted once.
    inputs: scope.inputs
      ? scope.inputs.map((item, i) => toCelValue(item, types.input, limits, `inputs[${i}]`))
      : scope.input === undefined
        ? []
        : [input],
    output: toCelValue(scope.output ?? null, types.output, limits, 'output'),
  };
  if (names === undefined || names.has('findings')) {
    context.findings = toCelValue(scope.findings ?? [], undefined, limits, 'findings');
  }
  if (names === undefined || names.has('run')) {
    context.run = toCelValue(scope.run ?? NO_RUN, RUN_METADATA_SCHEMA, limits, 'run');
  }
  return context;
}

/**
 * Evaluates a CEL expression against its scope, within limits: the expression is length-capped,
 * statically analysed (no nested comprehensions, bounded cost, safe regexes), the data is size-capped,
 * and every failure, a stack overflow included, comes back as a value. Never throws.
 *
 * @example
 * evaluateExpression('input.n + 1', { input: { n: 1 } }, { types: { input: { type: 'object', properties: { n: { type: 'integer' } } } } });
 * // { ok: true, value: 2 }
 */
export function evaluateExpression(
  source: string,
  scope: ExpressionScope,
  options: EvaluateOptions = {},
): EvaluateResult {
  const limits = resolveLimits(options.limits);
  if (source.length > limits.maxLength) {
    return fail({ code: 'SL404', message: `the expression is longer than ${limits.maxLength} characters` });
  }
  const { run, names, problem } = prepare(source, limits);
  if (!run) return fail(problem ?? { code: 'SL401', message: 'the expression does not parse' });
  let context: Record<string, unknown>;
  try {
    context = scopeToContext(scope, options.types ?? {}, limits, names);
  } catch (error) {
    return fail(limitProblem('SL413', error));
  }
  let raw: unknown;
  try {
    raw = run(context);
  } catch (error) {
    if (error instanceof RangeError) {
      return fail({ code: 'SL405', message: `the evaluation ran out of stack or memory (${error.message})` });
    }
    const cel = problemFromCelError(error);
    return fail({ ...cel, code: 'SL412' });
  }
  if (options.mode === 'condition' && typeof raw !== 'boolean') {
    return fail({ code: 'SL407', message: `a condition must produce a bool, got ${typeof raw}` });
  }
  try {
    const value = fromCelValue(raw, limits);
    return { ok: true, value };
  } catch (error) {
    return fail(limitProblem('SL414', error));
  }
}

/**
 * Renders a `{{ }}` template: each part is evaluated like {@link evaluateExpression}; strings are
 * inserted as they are, null as nothing, other values as canonical JSON.
 *
 * @example
 * renderTemplate('Refund {{ input.amount }} to {{ input.name }}', { input: { amount: 12.5, name: 'Ada' } });
 * // { ok: true, value: 'Refund 12.5 to Ada' }
 */
export function renderTemplate(
  template: string,
  scope: ExpressionScope,
  options: Omit<EvaluateOptions, 'mode'> = {},
): { ok: true; value: string } | { ok: false; problem: ExpressionProblem } {
  const limits = resolveLimits(options.limits);
  if (template.length > limits.maxTemplateLength) {
    return {
      ok: false,
      problem: {
        code: 'SL404',
        message: `the template is longer than ${limits.maxTemplateLength} characters`,
      },
    };
  }
  const parsed = parseTemplate(template, limits.maxTemplateParts);
  if (!parsed.ok)
    return { ok: false, problem: { code: 'SL408', message: parsed.message, range: parsed.range } };
  let out = '';
  for (const part of parsed.parts) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    const result = evaluateExpression(part.expression, scope, { ...options, mode: 'value' });
    if (!result.ok) return { ok: false, problem: { ...result.problem, range: part.range } };
    const value = result.value;
    out += typeof value === 'string' ? value : value === null ? '' : canonicalJson(value);
    if (out.length > limits.maxResultLength) {
      return { ok: false, problem: { code: 'SL414', message: 'the rendered text is too long' } };
    }
  }
  return { ok: true, value: out };
}

function fail(problem: ExpressionProblem): EvaluateResult {
  return { ok: false, problem };
}

function limitProblem(code: 'SL413' | 'SL414', error: unknown): ExpressionProblem {
  if (error instanceof ValueLimitError) return { code, message: `${error.path}: ${error.message}` };
  return { code, message: error instanceof Error ? error.message : String(error) };
}
