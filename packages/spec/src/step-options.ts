import { z } from 'zod';
import { Role } from './roles.js';

/**
 * How a failed step is retried: exponential backoff from `initialDelayMs`, multiplied by
 * `multiplier`, capped at `maxDelayMs`, with full jitter when `jitter` is set.
 *
 * @example
 * Retry.parse({ maxAttempts: 5 }); // { maxAttempts: 5, initialDelayMs: 1000, ... }
 */
export const Retry = z.strictObject({
  maxAttempts: z.number().int().min(1).max(20).default(3),
  initialDelayMs: z.number().int().min(0).max(3_600_000).default(1000),
  maxDelayMs: z.number().int().min(0).max(86_400_000).default(60_000),
  multiplier: z.number().min(1).max(10).default(2),
  jitter: z.boolean().default(true),
});
export type Retry = z.infer<typeof Retry>;

/**
 * What undoes a step with side effects that its kind cannot undo by itself: a task for a person of a
 * role (the `http` kind declares its own compensation request in its config).
 *
 * @example
 * Compensation.parse({ type: 'manual', role: 'operator', instructions: 'Void refund {{ output.id }}' });
 */
export const Compensation = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('manual'),
    role: Role,
    instructions: z.string().min(1).max(4000),
  }),
]);
export type Compensation = z.infer<typeof Compensation>;

/** Longest per-step timeout: 7 days (human tasks and gates wait longer through their own expiry). */
export const MAX_TIMEOUT_MS = 7 * 24 * 3_600_000;
export const TimeoutMs = z.number().int().min(100).max(MAX_TIMEOUT_MS);
