import { z } from 'zod';

/**
 * A CEL expression (checked by the compiler against the node's input type; the compiler also enforces
 * the expression length limit, with its own diagnostic).
 */
export const CelExpression = z.string().max(65_536).regex(/\S/, 'an expression is required');

/** Text with `{{ CEL }}` parts (prompts, URLs, messages). */
export const Template = z.string().max(65_536);

/** An output field name: usable as `input.<name>` downstream. */
export const FieldName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'field names are identifiers: letters, digits and _');

/** Output field → CEL expression computing it. */
export const Mapping = z.record(FieldName, CelExpression);

/** Milliseconds, at most 30 days. */
export const DurationMs = z
  .number()
  .int()
  .min(1000)
  .max(30 * 24 * 3_600_000);
