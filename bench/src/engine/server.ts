// The benchmark's server process: the engine and the webhook route on a real port, as `sluice start`
// serves them (security headers included), against DATABASE_URL. Prints `{"port":N}` when listening.
// Webhook signatures are checked as in the product (HMAC over timestamp and body, replay window, each
// delivery once); the secret is held here rather than in the vault, and accepted deliveries are
// remembered in memory rather than in the webhook_deliveries table.
import { serve } from '@hono/node-server';
import { openPgStore } from '@sluice/db';
import { createEngine } from '@sluice/engine';
import { Hono } from 'hono';
import { hmacSha256Verifier, webhookRoutes } from '../../../apps/server/src/hooks.js';
import { securityHeaders } from '../../../apps/server/src/security-headers.js';
import { serverExecutors } from '@sluice/nodes/server';

const url = process.env.DATABASE_URL ?? '';
const secret = process.env.HOOK_SECRET ?? '';
const store = await openPgStore({
  url,
  poolSize: Number(process.env.POOL_SIZE ?? 10),
  // The product's batching unless COMMIT_IN_FLIGHT asks for another number of batches in flight.
  ...(process.env.COMMIT_IN_FLIGHT
    ? { groupCommit: { maxInFlight: Number(process.env.COMMIT_IN_FLIGHT) } }
    : {}),
});
const engine = createEngine({ store, executors: serverExecutors });
await engine.start();
const app = new Hono();
if (process.env.BENCH_HEADERS_FIRST) {
  app.use('*', async (c, next) => {
    c.header('Content-Security-Policy', 'default-src self');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    await next();
  });
} else app.use('*', securityHeaders());
const delivered = new Map<string, number>();
const verifyWebhook = hmacSha256Verifier({
  withSecret: async (_target, check) => check(secret),
  async remember({ workflowId, signature, expiresAt }) {
    const key = `${workflowId}:${signature}`;
    if (delivered.has(key)) return false;
    delivered.set(key, expiresAt.getTime());
    if (delivered.size > 200_000) {
      const now = Date.now();
      for (const [k, expiry] of delivered) if (expiry < now) delivered.delete(k);
    }
    return true;
  },
});
app.route('/hooks', webhookRoutes({ engine, verifyWebhook }));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${JSON.stringify({ port: info.port })}\n`);
});
if (process.env.BENCH_MEMORY) {
  let lastCpu = process.cpuUsage();
  let lastRuns = 0;
  setInterval(() => {
    const cpu = process.cpuUsage(lastCpu);
    lastCpu = process.cpuUsage();
    const runs = store.startStats().units - lastRuns;
    lastRuns += runs;
    process.stderr.write(`cpu/run ${((cpu.user + cpu.system) / 1000 / Math.max(1, runs)).toFixed(3)} ms `);
    const m = process.memoryUsage();
    const mb = (n: number) => (n / 1048576).toFixed(0);
    const { batches, units } = store.startStats();
    process.stderr.write(
      `batches ${batches} runs ${units} (${(units / Math.max(1, batches)).toFixed(1)}/batch) `,
    );
    process.stderr.write(
      `rss ${mb(m.rss)} heapTotal ${mb(m.heapTotal)} heapUsed ${mb(m.heapUsed)} external ${mb(m.external)} buffers ${mb(m.arrayBuffers)}\n`,
    );
  }, 2000).unref();
}
process.once('SIGTERM', () => {
  server.close();
  void engine
    .stop({ graceMs: 1000 })
    .then(() => store.close())
    .then(() => process.exit(0));
});
