// Retry policy: exponential backoff with full jitter, per the node's `retry` (spec step-options).
import type { Retry } from '@sluice/spec';

/** How many executions a node gets in all: its `retry.maxAttempts`, or 1 without a policy. */
export function maxAttempts(retry: Retry | undefined): number {
  return retry?.maxAttempts ?? 1;
}

/**
 * The delay before attempt `attempt + 1`, after attempt `attempt` failed: initialDelayMs ×
 * multiplier^(attempt-1), capped at maxDelayMs, then (with jitter) a uniform draw below that, so
 * that many steps failing together do not retry together.
 *
 * @example
 * retryDelayMs({ maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: false }, 3); // 400
 */
export function retryDelayMs(retry: Retry, attempt: number, random: () => number = Math.random): number {
  const exponential = retry.initialDelayMs * retry.multiplier ** Math.max(0, attempt - 1);
  const capped = Math.min(retry.maxDelayMs, exponential);
  return Math.round(retry.jitter ? random() * capped : capped);
}
