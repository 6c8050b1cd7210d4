// The start-a-run form, generated from the trigger's input schema: one field per top-level property
// of simple type, or one JSON field when the schema asks for more than a flat object.

/** The part of a JSON Schema the form reads. */
export interface InputSchema {
  type?: unknown;
  properties?: Record<string, InputSchema>;
  required?: unknown;
  enum?: unknown;
  title?: unknown;
  description?: unknown;
  format?: unknown;
  default?: unknown;
}

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';

export interface InputField {
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
  description: string | null;
  options: string[];
  /** An HTML input type for strings (`email`, `url`, `text`). */
  inputType: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldType(schema: InputSchema): FieldType {
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string')) return 'enum';
  switch (schema.type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
      return schema.type;
    default:
      return 'json';
  }
}

/** Turns `customerEmail` into `Customer email`. */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The fields for `schema`, or null when the input is better entered as one JSON document (not an
 * object, or an object without declared properties).
 *
 * @example
 * inputFields({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] })
 * // [{ name: 'n', label: 'N', type: 'integer', required: true, ... }]
 */
export function inputFields(schema: unknown): InputField[] | null {
  if (!isRecord(schema) || schema.type !== 'object' || !isRecord(schema.properties)) return null;
  const required = Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === 'string') : [];
  const fields = Object.entries(schema.properties).map(([name, raw]): InputField => {
    const property: InputSchema = isRecord(raw) ? raw : {};
    return {
      name,
      label: typeof property.title === 'string' ? property.title : humanize(name),
      type: fieldType(property),
      required: required.includes(name),
      description: typeof property.description === 'string' ? property.description : null,
      options: Array.isArray(property.enum) ? property.enum.map(String) : [],
      inputType:
        property.format === 'email' || /email/i.test(name)
          ? 'email'
          : property.format === 'uri'
            ? 'url'
            : 'text',
    };
  });
  return fields.length > 0 ? fields : null;
}

export type FormValues = Record<string, string | boolean>;

/** What the form's values amount to: the run input, or the problems by field name. */
export type FormResult =
  { ok: true; input: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

/**
 * Reads the form's values into the run's input: numbers parsed, empty optional fields left out, JSON
 * fields parsed. The server checks the input against the schema again.
 */
export function readInput(fields: readonly InputField[], values: FormValues): FormResult {
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.type === 'boolean') {
      input[field.name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') {
      if (field.required) errors[field.name] = `${field.label} is required`;
      continue;
    }
    if (field.type === 'number' || field.type === 'integer') {
      const n = Number(text);
      if (!Number.isFinite(n)) errors[field.name] = `${field.label} must be a number`;
      else if (field.type === 'integer' && !Number.isInteger(n))
        errors[field.name] = `${field.label} must be a whole number`;
      else input[field.name] = n;
    } else if (field.type === 'json') {
      try {
        input[field.name] = JSON.parse(text);
      } catch {
        errors[field.name] = `${field.label} is not valid JSON`;
      }
    } else {
      input[field.name] = typeof value === 'string' ? value : '';
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, input };
}
