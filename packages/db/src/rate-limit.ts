// Fixed-window counters in PostgreSQL, for throttling sign-in attempts across every server process.
import type { PrismaClient } from './generated/prisma/client';

export interface RateLimitRule {
  /** Window length in seconds. */
  window: number;
  /** Requests allowed per window. */
  max: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the window ends, when not allowed. */
  retryAfter: number | null;
}

/**
 * Counts one request against `key` and says whether it is within `rule`. One INSERT … ON CONFLICT
 * statement reads and increments, so concurrent requests cannot all pass a stale read. Refused
 * requests keep counting, but the window does not move: it ends `rule.window` seconds after it began.
 *
 * @example
 * const { allowed } = await consumeRateLimit(prisma, `email|${email}`, { window: 900, max: 10 });
 */
export async function consumeRateLimit(
  prisma: PrismaClient,
  key: string,
  rule: RateLimitRule,
): Promise<RateLimitDecision> {
  const windowMs = Math.round(rule.window * 1000);
  const rows = await prisma.$queryRaw<Array<{ count: number; remaining_ms: number }>>`
    INSERT INTO rate_limits AS r (key, count, window_started_at) VALUES (${key}, 1, now())
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN r.window_started_at <= now() - make_interval(secs => ${windowMs}::double precision / 1000)
                   THEN 1 ELSE r.count + 1 END,
      window_started_at = CASE WHEN r.window_started_at <= now() - make_interval(secs => ${windowMs}::double precision / 1000)
                   THEN now() ELSE r.window_started_at END
    RETURNING r.count,
      GREATEST(0, EXTRACT(EPOCH FROM (r.window_started_at + make_interval(secs => ${windowMs}::double precision / 1000) - now())) * 1000)::float8 AS remaining_ms`;
  const row = rows[0];
  if (!row) throw new Error(`rate limit ${key}: the upsert returned no row`);
  // Now and then, forget windows that ended long ago, so the table stays small.
  if (Math.random() < 0.01) {
    await prisma.$executeRaw`DELETE FROM rate_limits WHERE window_started_at < now() - interval '1 day'`;
  }
  if (row.count <= rule.max) return { allowed: true, retryAfter: null };
  return { allowed: false, retryAfter: Math.max(1, Math.ceil(row.remaining_ms / 1000)) };
}
