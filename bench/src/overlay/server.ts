// The overlay benchmark's API process: the real tRPC router (run.start, run.watch over SSE) on a real
// port with an engine that starts runs and, unless a worker process does, executes their steps. Prints
// `{"port":N}` when listening. People sign in with better-auth at /api/auth, as in `sluice start`.
import { serve } from '@hono/node-server';
import { trpcServer } from '@hono/trpc-server';
import { randomBytes } from 'node:crypto';
import { appRouter, type Auth, createAuth, createContextFactory, sessionReader } from '@sluice/api';
import { openDatabase, openPgStore } from '@sluice/db';
import { createEngine } from '@sluice/engine';
import { Hono } from 'hono';
import { overlayExecutors } from './executors.js';

const url = process.env.DATABASE_URL ?? '';
const db = await openDatabase({ databaseUrl: url, dataDir: process.env.DATA_DIR ?? '' });
const store = await openPgStore({ url, poolSize: Number(process.env.POOL_SIZE ?? 10) });
// WORKERS=1: this process runs the steps too, as `sluice start` does, once told to (SIGUSR2) —
// after every subscription is open. Otherwise a separate worker process runs them.
const ownWorkers = process.env.WORKERS === '1';
const engine = createEngine({
  store,
  executors: overlayExecutors(),
  workers: ownWorkers ? { concurrency: 16, pollMs: 200 } : false,
});
if (ownWorkers) process.once('SIGUSR2', () => void engine.start());
else await engine.start();
// The sign-in origin is known once the port is: better-auth is made when the server listens.
let auth: Auth | undefined;
const createContext = createContextFactory({
  db,
  readSession: (headers) => (auth ? sessionReader(auth)(headers) : Promise.resolve(null)),
  services: { engine },
});
const app = new Hono();
app.on(['GET', 'POST'], '/api/auth/*', (c) => (auth ? auth.handler(c.req.raw) : c.text('starting', 503)));
app.use(
  '/trpc/*',
  trpcServer({
    endpoint: '/trpc',
    router: appRouter,
    createContext: async (opts) => ({
      ...(await createContext({ headers: opts.req.headers, clientIp: '127.0.0.1' })),
    }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'}:`, error.cause ?? error);
    },
  }),
);
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  const origin = `http://127.0.0.1:${info.port}`;
  auth = createAuth({
    db,
    secret: randomBytes(32).toString('hex'),
    baseURL: origin,
    trustedOrigins: [origin],
  });
  process.stdout.write(`${JSON.stringify({ port: info.port })}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  void engine
    .stop({ graceMs: 500 })
    .then(() => store.close())
    .then(() => db.close())
    .then(() => process.exit(0));
});
