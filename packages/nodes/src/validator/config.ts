import { Classification, JsonSchema } from '@sluice/spec';
import { z } from 'zod';
import { CelExpression } from '../shared/schemas.js';

/**
 * What the PII detectors look for. `ssn` is the US social security number; `national_id` covers other
 * national identifiers with a strict format or checksum (UK NINO, Spanish DNI/NIE); `api_key` covers
 * secrets of every kind (cloud keys, tokens, private keys, JWTs); `address` is a heuristic for English
 * postal addresses (street lines, UK postcodes, US city/state/ZIP).
 */
export const Detector = z.enum([
  'email',
  'phone',
  'credit_card',
  'iban',
  'ssn',
  'national_id',
  'ip_address',
  'api_key',
  'address',
]);
export type Detector = z.infer<typeof Detector>;

export const ValidatorRule = z.strictObject({
  name: z.string().trim().min(1).max(80),
  /** Must hold for the data to pass. */
  expr: CelExpression,
  message: z.string().max(400).default(''),
});
export type ValidatorRule = z.infer<typeof ValidatorRule>;

/**
 * Checks data in flight: a JSON Schema, PII detectors, prompt-injection heuristics, CEL rules that must
 * hold, a size cap. On failure: `block` stops the run, `redact` masks what detectors found and passes
 * the rest on (and may lower the label to `guarantees`), `flag` passes everything on with findings.
 */
export const ValidatorConfig = z.strictObject({
  jsonSchema: JsonSchema.optional(),
  detectors: z
    .array(Detector)
    .max(Detector.options.length)
    .refine((d) => new Set(d).size === d.length, 'a detector is listed twice')
    .default([]),
  injection: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** Score from 0 (flag everything) to 1 (flag nothing) above which input counts as an injection. */
      threshold: z.number().min(0).max(1).default(0.5),
    })
    .default({ enabled: false, threshold: 0.5 }),
  rules: z.array(ValidatorRule).max(32).default([]),
  maxBytes: z.number().int().min(1).max(50_000_000).default(1_000_000),
  onFailure: z.enum(['block', 'redact', 'flag']).default('block'),
  guarantees: Classification.optional(),
});
export type ValidatorConfig = z.infer<typeof ValidatorConfig>;
