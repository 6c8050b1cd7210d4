import type { JsonSchema } from '../json-schema.js';
import { singleType } from '../json-schema.js';

/** A CEL message type to register: its name and field types (children are listed first). */
export interface CelTypeDeclaration {
  name: string;
  fields: Record<string, string>;
}

/** The CEL types that describe one JSON Schema, and the schema behind each message type. */
export interface CelTypePlan {
  type: string;
  declarations: CelTypeDeclaration[];
  schemas: Map<string, JsonSchema>;
}

// Nested objects deeper than this are typed `map<string, dyn>`: still usable, no longer checked.
const MAX_TYPE_DEPTH = 12;
const MAX_FIELDS = 256;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/**
 * Plans the CEL types for a JSON Schema: `integer` → `int`, `number` → `double`, `string`,
 * `boolean` → `bool`, arrays → `list<T>`, objects with properties → a message type named after
 * `rootName` (so unknown fields are compile errors), free-form objects → `map<string, T>`, anything
 * else (unions, no type) → `dyn`.
 *
 * @example
 * planCelTypes({ type: 'object', properties: { n: { type: 'integer' } } }, 'Input').type; // 'Input'
 */
export function planCelTypes(schema: JsonSchema, rootName: string): CelTypePlan {
  const plan: CelTypePlan = { type: 'dyn', declarations: [], schemas: new Map() };
  plan.type = typeOf(schema, rootName, plan, 0);
  return plan;
}

function typeOf(schema: JsonSchema, name: string, plan: CelTypePlan, depth: number): string {
  if (schema.enum !== undefined && schema.enum.every((v) => typeof v === 'string')) return 'string';
  switch (singleType(schema)) {
    case 'string':
      return 'string';
    case 'integer':
      return 'int';
    case 'number':
      return 'double';
    case 'boolean':
      return 'bool';
    case 'array':
      return `list<${schema.items ? typeOf(schema.items, `${name}_item`, plan, depth + 1) : 'dyn'}>`;
    case 'object':
      return objectType(schema, name, plan, depth);
    default:
      return 'dyn';
  }
}

function objectType(schema: JsonSchema, name: string, plan: CelTypePlan, depth: number): string {
  const properties = schema.properties ?? {};
  const keys = Object.keys(properties);
  const typed =
    keys.length > 0 &&
    keys.length <= MAX_FIELDS &&
    depth < MAX_TYPE_DEPTH &&
    schema.additionalProperties !== true;
  if (!typed || !keys.every((k) => IDENTIFIER.test(k) && !RESERVED.has(k))) {
    const extra = schema.additionalProperties;
    if (typeof extra === 'object' && keys.length === 0 && depth < MAX_TYPE_DEPTH) {
      return `map<string, ${typeOf(extra, `${name}_value`, plan, depth + 1)}>`;
    }
    return 'map<string, dyn>';
  }
  const fields: Record<string, string> = {};
  for (const key of keys) {
    const child = properties[key];
    fields[key] = child ? typeOf(child, `${name}_${key}`, plan, depth + 1) : 'dyn';
  }
  let unique = name;
  for (let n = 2; plan.schemas.has(unique); n++) unique = `${name}${n}`;
  plan.declarations.push({ name: unique, fields });
  plan.schemas.set(unique, schema);
  return unique;
}

/**
 * The JSON Schema of a CEL type name as the checker prints it (`list<int>`, `map<string, dyn>`, a
 * message type of the plan). Unknown or dynamic types give `{}`.
 *
 * @example
 * celTypeToSchema('list<int>', new Map()); // { type: 'array', items: { type: 'integer' } }
 */
export function celTypeToSchema(celType: string, messages: ReadonlyMap<string, JsonSchema>): JsonSchema {
  const type = celType.trim();
  const generic = /^(list|map|optional)<(.*)>$/.exec(type);
  if (generic) {
    const [, kind = '', inner = ''] = generic;
    if (kind === 'list') return { type: 'array', items: celTypeToSchema(inner, messages) };
    if (kind === 'optional') return celTypeToSchema(inner, messages);
    const [, value = 'dyn'] = splitTopLevel(inner);
    return { type: 'object', additionalProperties: celTypeToSchema(value, messages) };
  }
  switch (type) {
    case 'int':
    case 'uint':
      return { type: 'integer' };
    case 'double':
      return { type: 'number' };
    case 'string':
    case 'bytes':
    case 'timestamp':
    case 'duration':
      return { type: 'string' };
    case 'bool':
      return { type: 'boolean' };
    case 'null':
    case 'null_type':
      return { type: 'null' };
    case 'map':
      return { type: 'object' };
    case 'list':
      return { type: 'array' };
    default:
      return messages.get(type) ?? {};
  }
}

function splitTopLevel(inner: string): [string, string] {
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (c === ',' && depth === 0) return [inner.slice(0, i).trim(), inner.slice(i + 1).trim()];
  }
  return [inner.trim(), 'dyn'];
}
