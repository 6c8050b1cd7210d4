import { Environment } from '@marcbachmann/cel-js';
import { canonicalJson } from '../canonical-json.js';
import type { JsonSchema } from '../json-schema.js';
import { celTypeToSchema, planCelTypes } from './cel-types.js';
import { FINDING_CEL_FIELDS } from './finding.js';
import { RUN_CEL_FIELDS } from './run-metadata.js';
import { type ExpressionLimits, parseLimitsKey } from './limits.js';

/**
 * The variables an expression sees, and nothing else: `input` (what arrived on the node's input),
 * `inputs` (each upstream payload, in edge order, for joins), `findings` (what validators upstream
 * found), `run` (the run's id, workflow, version, who started it and its token use) and, in
 * compensation expressions only, `output` (what the step produced).
 */
export const EXPRESSION_VARIABLES = ['input', 'inputs', 'findings', 'run', 'output'] as const;

/** Declared types of an expression's variables. */
export interface ExpressionTypes {
  input?: JsonSchema;
  output?: JsonSchema;
}

/** A CEL environment typed for one set of variable schemas. */
export interface TypedEnvironment {
  readonly env: Environment;
  /** Message type name → the JSON Schema it was made from. */
  readonly messages: ReadonlyMap<string, JsonSchema>;
  toSchema(celType: string): JsonSchema;
}

function sumInts(list: readonly bigint[]): bigint {
  let total = 0n;
  for (const v of list) total += v;
  return total;
}

function sumDoubles(list: readonly number[]): number {
  let total = 0;
  for (const v of list) total += v;
  return total;
}

const bases = new Map<string, Environment>();

/** The environment every Sluice expression starts from: standard CEL plus `sum()` and `Finding`. */
function baseEnvironment(limits: ExpressionLimits): Environment {
  const key = parseLimitsKey(limits);
  let base = bases.get(key);
  if (!base) {
    base = new Environment({
      unlistedVariablesAreDyn: false,
      homogeneousAggregateLiterals: false,
      enableOptionalTypes: false,
      limits: {
        maxAstNodes: limits.maxAstNodes,
        maxDepth: limits.maxDepth,
        maxListElements: 256,
        maxMapEntries: 256,
        maxCallArguments: 16,
      },
    })
      .registerFunction('sum(list<int>): int', sumInts, { description: 'Sum of a list of ints' })
      .registerFunction('sum(list<double>): double', sumDoubles, { description: 'Sum of a list of doubles' })
      .registerType('Finding', { fields: { ...FINDING_CEL_FIELDS } })
      .registerType('Run', { fields: { ...RUN_CEL_FIELDS } });
    bases.set(key, base);
  }
  return base;
}

const TYPED_CACHE_SIZE = 512;
const typedCache = new Map<string, TypedEnvironment>();

/**
 * A CEL environment whose `input`/`inputs`/`output` are typed from JSON Schemas, so field access and
 * operators are checked at compile time. Cached per schema: building one costs ~0.1 ms.
 *
 * @example
 * const typed = typedEnvironment({ input: { type: 'object', properties: { n: { type: 'integer' } } } }, limits);
 * typed.env.check('input.n + 1').type; // 'int'
 */
export function typedEnvironment(
  types: ExpressionTypes,
  limits: ExpressionLimits,
  key?: string,
): TypedEnvironment {
  const cacheKey = `${parseLimitsKey(limits)}|${key ?? typesKey(types)}`;
  const hit = typedCache.get(cacheKey);
  if (hit) {
    typedCache.delete(cacheKey);
    typedCache.set(cacheKey, hit);
    return hit;
  }
  const built = buildTyped(types, limits);
  typedCache.set(cacheKey, built);
  if (typedCache.size > TYPED_CACHE_SIZE) {
    const oldest = typedCache.keys().next().value;
    if (oldest !== undefined) typedCache.delete(oldest);
  }
  return built;
}

/** The cache key of a set of variable types (canonical JSON of the schemas). */
export function typesKey(types: ExpressionTypes): string {
  return `${canonicalJson(types.input ?? {})}|${types.output ? canonicalJson(types.output) : '-'}`;
}

function buildTyped(types: ExpressionTypes, limits: ExpressionLimits): TypedEnvironment {
  const env = baseEnvironment(limits).clone();
  const messages = new Map<string, JsonSchema>();
  const declare = (schema: JsonSchema | undefined, rootName: string): string => {
    if (!schema) return 'dyn';
    const plan = planCelTypes(schema, rootName);
    try {
      for (const decl of plan.declarations) env.registerType(decl.name, { fields: decl.fields });
    } catch {
      // A schema the CEL registry cannot express (odd names): fall back to a dynamic value.
      return 'dyn';
    }
    for (const [name, s] of plan.schemas) messages.set(name, s);
    return plan.type === 'dyn' ? 'dyn' : plan.type;
  };
  env.registerVariable('findings', 'list<Finding>', { description: 'What validators upstream found' });
  env.registerVariable('run', 'Run', {
    description: 'The run: id, workflowId, version, initiatedBy, tokens',
  });
  const inputType = declare(types.input, 'Input');
  env.registerVariable('input', inputType, { description: 'What arrived on the input port' });
  env.registerVariable('inputs', `list<${inputType}>`, { description: 'Each upstream payload' });
  if (types.output) {
    const outputType = declare(types.output, 'Output');
    env.registerVariable('output', outputType, { description: 'What the step produced' });
  }
  // One schema object per CEL type: results share them, so their keys are computed once.
  const schemas = new Map<string, JsonSchema>();
  const toSchema = (celType: string): JsonSchema => {
    let schema = schemas.get(celType);
    if (!schema) {
      schema = celTypeToSchema(celType, messages);
      schemas.set(celType, schema);
    }
    return schema;
  };
  return { env, messages, toSchema };
}

let runtimeEnvs = new Map<string, Environment>();

/**
 * The environment expressions are evaluated in: the same functions, with variables typed `dyn` (the
 * compiler already checked the types; values arrive as JSON).
 */
export function runtimeEnvironment(limits: ExpressionLimits): Environment {
  const key = parseLimitsKey(limits);
  let env = runtimeEnvs.get(key);
  if (!env) {
    env = baseEnvironment(limits)
      .clone()
      .registerVariable('input', 'dyn')
      .registerVariable('inputs', 'list<dyn>')
      .registerVariable('output', 'dyn')
      .registerVariable('findings', 'list<dyn>')
      .registerVariable('run', 'dyn');
    if (runtimeEnvs.size > 16) runtimeEnvs = new Map();
    runtimeEnvs.set(key, env);
  }
  return env;
}
