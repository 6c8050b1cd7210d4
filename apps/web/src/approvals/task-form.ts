// A human task's form, read from its JSON Schema: one field per property (string, long string as a
// text area, number, integer, boolean, enum), the schema's constraints checked in the browser the way
// the server checks them (required, type, enum, length, pattern, range), and the server's refusal
// ("the answer does not fit the form: /path: message; …") put back next to the field it names.
// Pure: the panel renders it, tests feed it schemas.

/** The part of a property's JSON Schema the form reads. */
interface PropertySchema {
  type?: unknown;
  enum?: unknown;
  title?: unknown;
  description?: unknown;
  format?: unknown;
  minLength?: unknown;
  maxLength?: unknown;
  pattern?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  exclusiveMinimum?: unknown;
  exclusiveMaximum?: unknown;
  default?: unknown;
}

export type TaskFieldType = 'string' | 'text' | 'number' | 'integer' | 'boolean' | 'enum';

export interface TaskField {
  name: string;
  label: string;
  type: TaskFieldType;
  required: boolean;
  description: string | null;
  /** For `enum`: the allowed values, as the schema lists them. */
  options: readonly (string | number | boolean)[];
  minLength: number | null;
  maxLength: number | null;
  pattern: string | null;
  minimum: number | null;
  maximum: number | null;
  exclusiveMinimum: number | null;
  exclusiveMaximum: number | null;
}

/** Strings longer than this (by `maxLength`) or without a limit but named like prose get a text area. */
const LONG_TEXT = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** Turns `refundReason` into `Refund reason`. */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function fieldType(name: string, schema: PropertySchema): TaskFieldType | null {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const scalar = schema.enum.every((v) => ['string', 'number', 'boolean'].includes(typeof v));
    return scalar ? 'enum' : null;
  }
  switch (schema.type) {
    case 'string': {
      const max = num(schema.maxLength);
      const prose = /notes?|comment|reason|description|details|message|body|text/i.test(name);
      return (max !== null && max > LONG_TEXT) || (max === null && prose) || schema.format === 'textarea'
        ? 'text'
        : 'string';
    }
    case 'number':
    case 'integer':
    case 'boolean':
      return schema.type;
    default:
      return null;
  }
}

/**
 * The form's fields, or the names of properties it cannot render (nested objects, arrays): such a
 * form is answered as one JSON document instead.
 *
 * @example
 * taskFields({ type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] })
 * // { fields: [{ name: 'ok', type: 'boolean', required: true, ... }], unsupported: [] }
 */
export function taskFields(form: unknown): { fields: TaskField[]; unsupported: string[] } {
  if (!isRecord(form) || !isRecord(form.properties)) return { fields: [], unsupported: [] };
  const required = Array.isArray(form.required) ? form.required.filter((r) => typeof r === 'string') : [];
  const fields: TaskField[] = [];
  const unsupported: string[] = [];
  for (const [name, raw] of Object.entries(form.properties)) {
    const schema: PropertySchema = isRecord(raw) ? raw : {};
    const type = fieldType(name, schema);
    if (type === null) {
      unsupported.push(name);
      continue;
    }
    fields.push({
      name,
      label: typeof schema.title === 'string' ? schema.title : humanize(name),
      type,
      required: required.includes(name),
      description: typeof schema.description === 'string' ? schema.description : null,
      options: Array.isArray(schema.enum)
        ? schema.enum.filter((v): v is string | number | boolean =>
            ['string', 'number', 'boolean'].includes(typeof v),
          )
        : [],
      minLength: num(schema.minLength),
      maxLength: num(schema.maxLength),
      pattern: typeof schema.pattern === 'string' ? schema.pattern : null,
      minimum: num(schema.minimum),
      maximum: num(schema.maximum),
      exclusiveMinimum: num(schema.exclusiveMinimum),
      exclusiveMaximum: num(schema.exclusiveMaximum),
    });
  }
  return { fields, unsupported };
}

export type TaskValues = Record<string, string | boolean>;

/** The values a fresh form starts with: booleans unticked, everything else empty. */
export function initialValues(fields: readonly TaskField[]): TaskValues {
  return Object.fromEntries(fields.map((f) => [f.name, f.type === 'boolean' ? false : '']));
}

/** Characters as JSON Schema counts them (code points, not UTF-16 units). */
const length = (text: string) => [...text].length;

function checkString(field: TaskField, text: string): string | null {
  if (field.minLength !== null && length(text) < field.minLength)
    return `${field.label} needs at least ${field.minLength} characters`;
  if (field.maxLength !== null && length(text) > field.maxLength)
    return `${field.label} may have at most ${field.maxLength} characters`;
  if (field.pattern !== null) {
    let pattern: RegExp | null = null;
    try {
      pattern = new RegExp(field.pattern, 'u');
    } catch {
      // A pattern the browser cannot read is left to the server.
    }
    if (pattern && !pattern.test(text)) return `${field.label} does not have the expected form`;
  }
  return null;
}

function checkNumber(field: TaskField, n: number): string | null {
  if (field.type === 'integer' && !Number.isInteger(n)) return `${field.label} must be a whole number`;
  if (field.minimum !== null && n < field.minimum) return `${field.label} must be at least ${field.minimum}`;
  if (field.maximum !== null && n > field.maximum) return `${field.label} must be at most ${field.maximum}`;
  if (field.exclusiveMinimum !== null && n <= field.exclusiveMinimum)
    return `${field.label} must be more than ${field.exclusiveMinimum}`;
  if (field.exclusiveMaximum !== null && n >= field.exclusiveMaximum)
    return `${field.label} must be less than ${field.exclusiveMaximum}`;
  return null;
}

/** What the form's values amount to: the answer, or the problems by field name. */
export type TaskFormResult =
  { ok: true; answer: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

/**
 * Reads the values into the answer, checking them as the form's schema does: an empty optional field
 * is left out, numbers are parsed, an enum keeps the type of the value the schema lists.
 */
export function readAnswer(fields: readonly TaskField[], values: TaskValues): TaskFormResult {
  const answer: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.type === 'boolean') {
      answer[field.name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value : '';
    if (text.trim() === '') {
      if (field.required) errors[field.name] = `${field.label} is required`;
      continue;
    }
    let problem: string | null = null;
    if (field.type === 'enum') {
      const option = field.options.find((o) => String(o) === text);
      if (option === undefined) problem = `${field.label} must be one of ${field.options.join(', ')}`;
      else answer[field.name] = option;
    } else if (field.type === 'number' || field.type === 'integer') {
      const n = Number(text.trim());
      problem = Number.isFinite(n) ? checkNumber(field, n) : `${field.label} must be a number`;
      if (problem === null) answer[field.name] = n;
    } else {
      problem = checkString(field, text);
      if (problem === null) answer[field.name] = text;
    }
    if (problem !== null) errors[field.name] = problem;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, answer };
}

const REFUSAL_PREFIX = 'the answer does not fit the form: ';

/**
 * The server's refusal of an answer, by field: each `"/name: message"` goes to the field `name`; a
 * problem about a missing property (reported at `/`) to that property; the rest under `''`.
 *
 * @example
 * serverErrors('the answer does not fit the form: /quantity: Instance has a value less than 1', ['quantity'])
 * // { quantity: 'Instance has a value less than 1' }
 */
export function serverErrors(message: string, names: readonly string[]): Record<string, string> {
  const at = message.indexOf(REFUSAL_PREFIX);
  if (at === -1) return { '': message };
  const errors: Record<string, string> = {};
  const add = (key: string, text: string) => {
    errors[key] = errors[key] ? `${errors[key]}; ${text}` : text;
  };
  for (const part of message.slice(at + REFUSAL_PREFIX.length).split('; ')) {
    const match = /^(\/[^:]*): (.*)$/s.exec(part);
    const path = match?.[1] ?? '';
    const text = match?.[2] ?? part;
    const top = path.split('/')[1] ?? '';
    const field = names.includes(top)
      ? top
      : names.find((name) => text.includes(`"${name}"`) || text.includes(`'${name}'`));
    add(field ?? '', text);
  }
  return errors;
}
