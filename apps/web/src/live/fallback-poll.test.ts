import { describe, expect, it } from 'vitest';
import { DEFAULT_FALLBACK_POLL_MS, FALLBACK_POLL_KEY, fallbackPollMs } from './fallback-poll';

const storing = (value: string | null) => ({
  getItem: (key: string) => (key === FALLBACK_POLL_KEY ? value : null),
});

describe('fallbackPollMs', () => {
  it('is 30 s unless a whole number of at least 1 s is stored', () => {
    expect(fallbackPollMs(null)).toBe(DEFAULT_FALLBACK_POLL_MS);
    expect(fallbackPollMs(storing(null))).toBe(30_000);
    expect(fallbackPollMs(storing('600000'))).toBe(600_000);
    expect(fallbackPollMs(storing('5'))).toBe(30_000);
    expect(fallbackPollMs(storing('1e3x'))).toBe(30_000);
    expect(fallbackPollMs(storing('2500.5'))).toBe(30_000);
  });
});
