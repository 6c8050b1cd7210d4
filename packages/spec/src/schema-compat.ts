import { isAnySchema, type JsonSchema, type JsonSchemaType, singleType } from './json-schema.js';

/** Why data of one schema may not fit another, with the path where it does not. */
export interface SchemaMismatch {
  path: string;
  message: string;
}

const MAX_DEPTH = 24;

/**
 * Whether data described by `source` is accepted by `target`, as far as the schemas say: types must
 * agree (an integer is a number), properties the target requires must be declared by the source, enums
 * must be subsets. An unconstrained side (`{}`) is accepted: it is checked at run time instead.
 *
 * @example
 * schemaMismatch({ type: 'string' }, { type: 'object' }); // { path: '', message: 'expected object, got string' }
 */
export function schemaMismatch(
  source: JsonSchema,
  target: JsonSchema,
  path = '',
  depth = 0,
): SchemaMismatch | undefined {
  if (depth > MAX_DEPTH || isAnySchema(target) || isAnySchema(source)) return undefined;
  if (source.anyOf || source.oneOf || target.anyOf || target.oneOf) return undefined;
  const sourceType = singleType(source);
  const targetTypes = typesOf(target);
  if (sourceType && targetTypes && !targetTypes.some((t) => fits(sourceType, t))) {
    return { path, message: `expected ${targetTypes.join(' or ')}, got ${sourceType}` };
  }
  if (target.enum && source.enum && !source.enum.every((v) => target.enum?.includes(v))) {
    return { path, message: `may produce values outside ${JSON.stringify(target.enum)}` };
  }
  if (sourceType === 'object' && targetTypes?.includes('object')) {
    return objectMismatch(source, target, path, depth);
  }
  if (sourceType === 'array' && source.items && target.items) {
    return schemaMismatch(source.items, target.items, `${path}[]`, depth + 1);
  }
  return undefined;
}

function objectMismatch(
  source: JsonSchema,
  target: JsonSchema,
  path: string,
  depth: number,
): SchemaMismatch | undefined {
  const sourceProps = source.properties;
  const targetProps = target.properties ?? {};
  if (sourceProps) {
    for (const key of target.required ?? []) {
      if (!Object.hasOwn(sourceProps, key)) {
        return {
          path: join(path, key),
          message: `is required here but the upstream output does not have it`,
        };
      }
    }
  }
  if (!sourceProps) return undefined;
  for (const [key, targetChild] of Object.entries(targetProps)) {
    const sourceChild = sourceProps[key];
    if (!sourceChild) continue;
    const inner = schemaMismatch(sourceChild, targetChild, join(path, key), depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function typesOf(schema: JsonSchema): JsonSchemaType[] | undefined {
  if (typeof schema.type === 'string') return [schema.type];
  return schema.type;
}

function fits(source: JsonSchemaType, target: JsonSchemaType): boolean {
  return source === target || (source === 'integer' && target === 'number');
}

/**
 * The most precise schema that describes data of either schema (what a join node receives when
 * several edges feed one port): shared object properties with joined types; `{}` when they disagree.
 *
 * @example
 * joinSchemas({ type: 'integer' }, { type: 'number' }); // { type: 'number' }
 */
export function joinSchemas(a: JsonSchema, b: JsonSchema, depth = 0): JsonSchema {
  if (a === b) return a;
  if (depth > MAX_DEPTH || isAnySchema(a) || isAnySchema(b)) return {};
  const ta = singleType(a);
  const tb = singleType(b);
  if (!ta || !tb) return {};
  if (ta !== tb) {
    if ((ta === 'integer' && tb === 'number') || (ta === 'number' && tb === 'integer'))
      return { type: 'number' };
    return {};
  }
  if (ta === 'array') {
    return a.items && b.items
      ? { type: 'array', items: joinSchemas(a.items, b.items, depth + 1) }
      : { type: 'array' };
  }
  if (ta !== 'object') return { type: ta };
  const pa = a.properties;
  const pb = b.properties;
  if (!pa || !pb) return { type: 'object' };
  const properties: Record<string, JsonSchema> = {};
  for (const [key, schemaA] of Object.entries(pa)) {
    const schemaB = pb[key];
    if (schemaB) properties[key] = joinSchemas(schemaA, schemaB, depth + 1);
  }
  const requiredB = new Set(b.required ?? []);
  const required = (a.required ?? []).filter((k) => requiredB.has(k) && Object.hasOwn(properties, k));
  return required.length > 0 ? { type: 'object', properties, required } : { type: 'object', properties };
}
