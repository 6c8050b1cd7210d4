// The `offline` provider: a deterministic stand-in for demos without an API key. It is NOT a language
// model and says so in its text, its details and its logs; it makes no network call.
import type { JsonSchema } from '@sluice/spec';

/** The label every offline reply starts with (and every offline string value is). */
export const OFFLINE_LABEL = '[offline — not a model]';
const QUOTED = 160;

/**
 * The offline reply to a prompt: the label, then what was received. Same prompt, same reply.
 *
 * @example
 * offlineText('Summarise: hello'); // '[offline — not a model] Received a prompt of 16 characters: "Summarise: hello"'
 */
export function offlineText(prompt: string): string {
  const quoted = prompt.length > QUOTED ? `${prompt.slice(0, QUOTED)}…` : prompt;
  return `${OFFLINE_LABEL} Received a prompt of ${prompt.length} characters: "${quoted}"`;
}

/**
 * The offline structured reply: a value built from the schema alone (the first enum or const value,
 * the minimum, `false`, the fewest items allowed, and the label for strings). It may not satisfy
 * every constraint (patterns, formats); the caller validates it like any reply.
 *
 * @example
 * offlineObject({ type: 'object', properties: { ok: { type: 'boolean' } } }); // { ok: false }
 */
export function offlineObject(schema: JsonSchema, depth = 0): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum !== undefined && schema.enum.length > 0) return schema.enum[0];
  const branch = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (branch !== undefined) return offlineObject(branch, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (depth > 16) return null;
  switch (type) {
    case 'object':
    case undefined: {
      if (type === undefined && schema.properties === undefined) return null;
      const out: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        out[key] = offlineObject(property, depth + 1);
      }
      return out;
    }
    case 'array': {
      const item = schema.items ?? {};
      return Array.from({ length: schema.minItems ?? 0 }, () => offlineObject(item, depth + 1));
    }
    case 'string': {
      const text = OFFLINE_LABEL.padEnd(schema.minLength ?? 0, '.');
      return schema.maxLength === undefined ? text : text.slice(0, schema.maxLength);
    }
    case 'integer':
      return Math.ceil(schema.minimum ?? 0);
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
  }
}
