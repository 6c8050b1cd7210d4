// The overlay benchmark's API process: the product's own HTTP surface (`createApp`, as `sluice start`
// serves it: security headers, CSRF, better-auth at /api/auth, tRPC with its event-stream
// subscriptions) on a real port, with an engine that starts runs and, unless a worker process does,
// executes their steps. Prints `{"port":N}` when listening.
import { serve } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { openDatabase, openPgStore } from '@sluice/db';
import { createEngine } from '@sluice/engine';
import { createApp } from '@sluice/server';
import type { Hono } from 'hono';
import { recordCommitTimes } from './commit-times.js';
import { overlayExecutors } from './executors.js';

const url = process.env.DATABASE_URL ?? '';
const db = await openDatabase({ databaseUrl: url, dataDir: process.env.DATA_DIR ?? '' });
const store = await openPgStore({ url, poolSize: Number(process.env.POOL_SIZE ?? 10) });
// WORKERS=1: this process runs the steps too, as `sluice start` does, once told to (SIGUSR2) —
// after every subscription is open; it then also records when each event commits. Otherwise a separate worker process runs them.
const ownWorkers = process.env.WORKERS === '1';
const engine = createEngine({
  store,
  executors: overlayExecutors(),
  workers: ownWorkers ? { concurrency: 16, pollMs: 200 } : false,
});
// The runs to time are listed in OVERLAY_RUNS_FILE by then (see commit-times.ts).
let writeCommitTimes: (() => void) | undefined;
if (ownWorkers) {
  process.once('SIGUSR2', () => {
    void recordCommitTimes(engine, process.env.OVERLAY_RUNS_FILE ?? '').then((write) => {
      writeCommitTimes = write;
      return engine.start();
    });
  });
} else await engine.start();
// The app needs its public origin, known once the port is: requests before then are told to wait.
let app: Hono | undefined;
const server = serve(
  {
    fetch: (request, env) => (app ? app.fetch(request, env) : new Response('starting', { status: 503 })),
    port: 0,
    hostname: '127.0.0.1',
  },
  (info) => {
    const origin = `http://127.0.0.1:${info.port}`;
    app = createApp({
      db,
      version: 'bench',
      auth: { secret: randomBytes(32).toString('hex'), publicUrl: origin, trustedOrigins: [origin] },
      services: { engine },
    });
    process.stdout.write(`${JSON.stringify({ port: info.port })}\n`);
  },
);
process.once('SIGTERM', () => {
  writeCommitTimes?.();
  server.close();
  void engine
    .stop({ graceMs: 500 })
    .then(() => store.close())
    .then(() => db.close())
    .then(() => process.exit(0));
});
