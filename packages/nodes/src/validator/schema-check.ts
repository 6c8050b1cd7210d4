// The JSON Schema check, with @cfworker/json-schema: an interpreter (ajv compiles schemas to code with
// `new Function`, which this project forbids). Messages never carry the data: only the keyword,
// where it failed in the data (keys that hold PII shown redacted) and where in the schema.
import { type OutputUnit, Validator } from '@cfworker/json-schema';
import { canonicalJson, type Finding, isRecord, type JsonSchema, regexRisk } from '@sluice/spec';
import { StepError } from '../executor.js';
import type { Detector, ValidatorConfig } from './config.js';
import { pointerSegment, redactText, scanText } from './detectors/index.js';

/** Keywords that only wrap the errors of their subschemas; the inner errors say what is wrong. */
const WRAPPERS = new Set([
  'properties',
  'items',
  'prefixItems',
  'additionalItems',
  'patternProperties',
  '$ref',
  '$recursiveRef',
  'allOf',
  'then',
  'else',
  'dependentSchemas',
  'unevaluatedItems',
]);

/** Keywords whose library message mentions only the schema, types, lengths or counts, not the data. */
const SAFE_MESSAGE = new Set([
  'type',
  'required',
  'const',
  'enum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'format',
  'pattern',
  'uniqueItems',
  'oneOf',
  'anyOf',
  'not',
  'false',
  'contains',
  'minContains',
  'maxContains',
]);

const MAX_SCHEMA_FINDINGS = 20;
const CACHE_SIZE = 256;
const validators = new Map<string, Validator>();

/** Every regular expression in a schema (`pattern` values and `patternProperties` keys), with its path. */
function* patternsOf(schema: unknown, path: string): Generator<[string, string]> {
  if (Array.isArray(schema)) {
    for (let i = 0; i < schema.length; i++) yield* patternsOf(schema[i], `${path}/${i}`);
    return;
  }
  if (!isRecord(schema)) return;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'pattern' && typeof value === 'string') yield [value, `${path}/pattern`];
    if (key === 'patternProperties' && isRecord(value)) {
      for (const p of Object.keys(value)) yield [p, `${path}/patternProperties/${pointerSegment(p)}`];
    }
    if (typeof value === 'object') yield* patternsOf(value, `${path}/${pointerSegment(key)}`);
  }
}

function validatorFor(schema: JsonSchema): Validator {
  const key = canonicalJson(schema);
  const hit = validators.get(key);
  if (hit) return hit;
  for (const [pattern, at] of patternsOf(schema, '')) {
    const risk = regexRisk(pattern);
    if (risk) {
      throw new StepError('SCHEMA_REFUSED', `config.jsonSchema${at}: ${risk}`, { retryable: false });
    }
  }
  let validator: Validator;
  try {
    validator = new Validator(schema, '2020-12', false);
  } catch (error) {
    throw new StepError(
      'SCHEMA_REFUSED',
      `config.jsonSchema: ${error instanceof Error ? error.message : 'not a usable schema'}`,
    );
  }
  if (validators.size >= CACHE_SIZE) validators.clear();
  validators.set(key, validator);
  return validator;
}

/** cfworker's `#/a%20b/0` as a JSON Pointer, with keys holding a detector match shown redacted. */
function safePointer(location: string, detectors: readonly Detector[]): string {
  const segments = location.replace(/^#/, '').split('/').slice(1);
  return segments
    .map((raw) => {
      let key: string;
      try {
        key = decodeURI(raw).replace(/%23/g, '#').replace(/~1/g, '/').replace(/~0/g, '~');
      } catch {
        key = raw;
      }
      const found = scanText(key, detectors);
      return `/${pointerSegment(found.length > 0 ? redactText(key, found) : key)}`;
    })
    .join('');
}

function describe(unit: OutputUnit): string {
  const text = SAFE_MESSAGE.has(unit.keyword) ? unit.error : `does not satisfy "${unit.keyword}"`;
  return `${text.slice(0, 300)} (schema ${unit.keywordLocation.replace(/^#/, '') || '/'})`;
}

/** The data checked against the schema: one finding per failing keyword (at most 20), none when valid. */
export function schemaFindings(
  input: unknown,
  config: Pick<ValidatorConfig, 'jsonSchema' | 'detectors' | 'onFailure'>,
  nodeId: string,
): Finding[] {
  if (!config.jsonSchema) return [];
  const result = validatorFor(config.jsonSchema).validate(input);
  if (result.valid) return [];
  const leaves = result.errors.filter((e) => !WRAPPERS.has(e.keyword));
  const units = leaves.length > 0 ? leaves : result.errors;
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const unit of units) {
    const path = safePointer(unit.instanceLocation, config.detectors);
    const key = `${path}|${unit.keywordLocation}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      nodeId,
      check: 'schema',
      name: unit.keyword,
      severity: 'medium',
      path,
      message: describe(unit),
      action: config.onFailure,
    });
    if (out.length >= MAX_SCHEMA_FINDINGS) break;
  }
  return out;
}
