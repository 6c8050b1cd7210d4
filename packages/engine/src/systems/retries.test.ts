import { describe, expect, test } from 'vitest';
import { maxAttempts, retryDelayMs } from './retries.js';

const policy = { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: false };

describe('retry backoff', () => {
  test.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1000],
    [9, 1000],
  ])('after attempt %i the delay is %i ms without jitter (capped)', (attempt, delay) => {
    expect(retryDelayMs(policy, attempt)).toBe(delay);
  });

  test('full jitter draws below the exponential delay', () => {
    expect(retryDelayMs({ ...policy, jitter: true }, 3, () => 0.5)).toBe(200);
    expect(retryDelayMs({ ...policy, jitter: true }, 3, () => 0)).toBe(0);
  });

  test('a node without a retry policy gets one attempt', () => {
    expect(maxAttempts(undefined)).toBe(1);
    expect(maxAttempts(policy)).toBe(5);
  });
});
