import fs from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { trpcServer } from '@hono/trpc-server';
import {
  type ApiServices,
  appRouter,
  createAuth,
  createContextFactory,
  MembershipEvents,
  sessionReader,
  type SignInThrottle,
} from '@sluice/api';
import { checkDatabase, type Database } from '@sluice/db';
import type { TRPCError } from '@trpc/server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { clientIp, mountAuth } from './auth-routes';
import { type WebhookOptions, webhookRoutes } from './hooks';
import { sameOriginWrites } from './csrf';
import { canonicalPaths } from './path-guard';
import { securityHeaders } from './security-headers';
import { sseSubscriptions } from './sse-subscriptions';

export interface AppOptions {
  db: Database;
  version: string;
  /** The built web app (apps/web/dist); when absent the API still works and `/` says how to build it. */
  webDir?: string;
  auth: {
    /** better-auth's secret, derived from the master key (`deriveAuthSecret`). */
    secret: string;
    /** The origin people open; see config `publicOrigins`. */
    publicUrl: string;
    trustedOrigins: string[];
    throttle?: SignInThrottle;
  };
  services?: Partial<ApiServices>;
  /** Webhook triggers at /hooks/:workflowId (signature-checked); absent: no webhooks are served. */
  webhooks?: WebhookOptions;
  /** The server speaks HTTPS: responses carry HSTS (never sent over plain HTTP). */
  tls?: boolean;
}

/** Builds the whole HTTP surface; `start` only listens. Tests call `app.request()` without a port. */
export function createApp({
  db,
  version,
  webDir,
  auth: authOptions,
  services,
  webhooks,
  tls = false,
}: AppOptions): Hono {
  const app = new Hono();
  app.use('*', securityHeaders({ hsts: tls }));
  app.use('*', canonicalPaths());
  app.use('*', sameOriginWrites(authOptions.trustedOrigins));
  app.use(
    '/api/*',
    bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.json({ error: 'request too large' }, 413) }),
  );
  app.use(
    '/trpc/*',
    bodyLimit({ maxSize: 4 * 1024 * 1024, onError: (c) => c.json({ error: 'request too large' }, 413) }),
  );

  app.get('/healthz', async (c) => {
    const database = await checkDatabase(db.prisma);
    return c.json({ ok: database.ok, version, database }, database.ok ? 200 : 503);
  });

  const auth = createAuth({
    db,
    secret: authOptions.secret,
    baseURL: authOptions.publicUrl,
    trustedOrigins: authOptions.trustedOrigins,
    ...(authOptions.throttle ? { throttle: authOptions.throttle } : {}),
  });
  mountAuth(app, auth);

  const createContext = createContextFactory({
    db,
    readSession: sessionReader(auth),
    services: { membershipEvents: new MembershipEvents(), ...services },
  });
  const onError = ({ error, path }: { error: TRPCError; path?: string | undefined }) => {
    if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'}:`, error.cause ?? error);
  };
  app.use(
    '/trpc/*',
    sseSubscriptions({
      router: appRouter,
      endpoint: '/trpc',
      onError,
      createContext: (c) => createContext({ headers: c.req.raw.headers, clientIp: clientIp(c) }),
    }),
  );
  app.use(
    '/trpc/*',
    trpcServer({
      endpoint: '/trpc',
      router: appRouter,
      // A batch is one request but many calls (and many permission checks): keep it bounded.
      maxBatchSize: 20,
      onError,
      createContext: async (opts, c) => ({
        ...(await createContext({ headers: opts.req.headers, clientIp: clientIp(c) })),
      }),
    }),
  );

  if (webhooks) app.route('/hooks', webhookRoutes(webhooks));

  const indexFile = webDir ? path.join(webDir, 'index.html') : undefined;
  if (webDir && indexFile && fs.existsSync(indexFile)) {
    const root = path.relative(process.cwd(), webDir) || '.';
    app.use('/assets/*', serveStatic({ root }));
    const indexHtml = fs.readFileSync(indexFile, 'utf8');
    // Client-side routes all answer with the app shell; API paths never fall through to it.
    app.get('*', (c) => {
      if (/^\/(trpc|api|hooks|assets)(\/|$)/i.test(c.req.path)) return c.json({ error: 'not found' }, 404);
      return c.html(indexHtml);
    });
  } else {
    app.get('/', (c) =>
      c.text('The web app is not built: run `npm run build` (npm start does it for you).', 503),
    );
  }

  app.notFound((c) => c.json({ error: 'not found', path: c.req.path }, 404));
  app.onError((error, c) => {
    console.error(error);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
