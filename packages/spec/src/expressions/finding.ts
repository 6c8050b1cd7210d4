import { z } from 'zod';

/**
 * What a validator found. Findings travel downstream with the data, so a gate rule can read them
 * (`findings.exists(f, f.severity == "high")`).
 *
 * @example
 * Finding.parse({ nodeId: 'scan', check: 'detector', name: 'email', severity: 'medium',
 *   path: '/customer/email', message: 'email address', action: 'redact' });
 */
export const Finding = z.object({
  nodeId: z.string(),
  check: z.enum(['schema', 'detector', 'injection', 'rule', 'size']),
  name: z.string(),
  severity: z.enum(['low', 'medium', 'high']),
  path: z.string(),
  message: z.string(),
  action: z.enum(['block', 'redact', 'flag']),
});
export type Finding = z.infer<typeof Finding>;

/** The CEL field types of {@link Finding}. */
export const FINDING_CEL_FIELDS: Readonly<Record<keyof Finding, string>> = {
  nodeId: 'string',
  check: 'string',
  name: 'string',
  severity: 'string',
  path: 'string',
  message: 'string',
  action: 'string',
};
