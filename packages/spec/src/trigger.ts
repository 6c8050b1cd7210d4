import { z } from 'zod';
import { CredentialRef } from './ids.js';
import type { JsonSchema } from './json-schema.js';
import { ObjectJsonSchema } from './json-schema.js';

/** The input schema a trigger starts with when none is declared: any object. */
export const DEFAULT_TRIGGER_INPUT: JsonSchema = { type: 'object', properties: {} };

const input = ObjectJsonSchema.default(DEFAULT_TRIGGER_INPUT);

/**
 * How runs start (DESIGN §3): by hand, by a signed webhook (HMAC secret held as a credential), or on a
 * cron schedule. `input` is the JSON Schema of the run's input, the type of the trigger's `out` port.
 *
 * @example
 * TriggerConfig.parse({ type: 'webhook', secret: 'hooks-triage', respond: 'result' });
 */
export const TriggerConfig = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('manual'),
    input,
  }),
  z.strictObject({
    type: z.literal('webhook'),
    input,
    secret: CredentialRef,
    signatureHeader: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'an HTTP header name')
      .default('x-sluice-signature'),
    respond: z.enum(['accepted', 'result']).default('accepted'),
    responseTimeoutMs: z.number().int().min(100).max(300_000).default(30_000),
  }),
  z.strictObject({
    type: z.literal('schedule'),
    input,
    cron: z.string().min(1).max(120),
    timezone: z.string().min(1).max(64).default('UTC'),
    payload: z.record(z.string(), z.unknown()).default({}),
  }),
]);
export type TriggerConfig = z.infer<typeof TriggerConfig>;
