import { z } from 'zod';

/** JSON Schema primitive type names. */
export const JsonSchemaType = z.enum(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
export type JsonSchemaType = z.infer<typeof JsonSchemaType>;

/**
 * The JSON Schema subset Sluice understands for port types, trigger inputs, structured AI output and
 * forms. Unknown keywords are kept (and ignored by the compiler), so schemas from other tools load.
 *
 * @example
 * JsonSchema.parse({ type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] });
 */
export const JsonSchema = z.looseObject({
  type: z.union([JsonSchemaType, z.array(JsonSchemaType).min(1)]).optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  get properties() {
    return z.record(z.string(), JsonSchema).optional();
  },
  required: z.array(z.string()).optional(),
  get additionalProperties() {
    return z.union([z.boolean(), JsonSchema]).optional();
  },
  get items() {
    return JsonSchema.optional();
  },
  enum: z.array(z.unknown()).optional(),
  const: z.unknown().optional(),
  format: z.string().optional(),
  pattern: z.string().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  minLength: z.number().int().nonnegative().optional(),
  maxLength: z.number().int().nonnegative().optional(),
  minItems: z.number().int().nonnegative().optional(),
  maxItems: z.number().int().nonnegative().optional(),
  get anyOf() {
    return z.array(JsonSchema).optional();
  },
  get oneOf() {
    return z.array(JsonSchema).optional();
  },
  get allOf() {
    return z.array(JsonSchema).optional();
  },
  default: z.unknown().optional(),
});
export type JsonSchema = z.infer<typeof JsonSchema>;

/** A JSON Schema that describes an object (trigger inputs, forms). */
export const ObjectJsonSchema = JsonSchema.refine((schema) => schema.type === 'object', {
  message: 'must be a JSON Schema with "type": "object"',
});

/** The schema that accepts anything (CEL `dyn`). */
export const ANY_SCHEMA: JsonSchema = Object.freeze({});

/** The single type of a schema, or undefined when it has none or several. */
export function singleType(schema: JsonSchema): JsonSchemaType | undefined {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== 'null');
    if (nonNull.length === 1 && type.length === 1) return nonNull[0];
  }
  return undefined;
}

/** Whether the schema constrains nothing (no type and no combinators). */
export function isAnySchema(schema: JsonSchema): boolean {
  return (
    schema.type === undefined &&
    schema.properties === undefined &&
    schema.items === undefined &&
    schema.anyOf === undefined &&
    schema.oneOf === undefined &&
    schema.allOf === undefined &&
    schema.enum === undefined &&
    schema.const === undefined
  );
}
