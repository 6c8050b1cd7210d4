import { describe, expect } from 'vitest';
import { consumeRateLimit } from './rate-limit';
import { test } from './testing';

describe('consumeRateLimit', () => {
  test('allows max requests per window, then refuses with the time left', async ({ db }) => {
    const rule = { window: 60, max: 3 };
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await consumeRateLimit(db.prisma, 'k1', rule));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results[4]!.retryAfter).toBeGreaterThan(55);
    expect(results[4]!.retryAfter).toBeLessThanOrEqual(60);
    expect((await consumeRateLimit(db.prisma, 'k2', rule)).allowed).toBe(true);
  });

  test('a new window starts once the old one is over', async ({ db }) => {
    const rule = { window: 60, max: 1 };
    expect((await consumeRateLimit(db.prisma, 'k3', rule)).allowed).toBe(true);
    expect((await consumeRateLimit(db.prisma, 'k3', rule)).allowed).toBe(false);
    await db.prisma.rateLimit.update({
      where: { key: 'k3' },
      data: { windowStartedAt: new Date(Date.now() - 61_000) },
    });
    expect((await consumeRateLimit(db.prisma, 'k3', rule)).allowed).toBe(true);
  });

  test('concurrent requests cannot all pass a stale count', async ({ db }) => {
    const rule = { window: 60, max: 5 };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => consumeRateLimit(db.prisma, 'k4', rule)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
  });
});
