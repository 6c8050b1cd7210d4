import fs from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { trpcServer } from '@hono/trpc-server';
import { appRouter, createContextFactory } from '@sluice/api';
import { checkDatabase, type Database } from '@sluice/db';
import { Hono } from 'hono';
import { securityHeaders } from './security-headers';

export interface AppOptions {
  db: Database;
  version: string;
  /** The built web app (apps/web/dist); when absent the API still works and `/` says how to build it. */
  webDir?: string;
}

/** Builds the whole HTTP surface; `start` only listens. Tests call `app.request()` without a port. */
export function createApp({ db, version, webDir }: AppOptions): Hono {
  const app = new Hono();
  app.use('*', securityHeaders());

  app.get('/healthz', async (c) => {
    const database = await checkDatabase(db.prisma);
    return c.json({ ok: database.ok, version, database }, database.ok ? 200 : 503);
  });

  const createContext = createContextFactory(db);
  app.use(
    '/trpc/*',
    trpcServer({ endpoint: '/trpc', router: appRouter, createContext: () => ({ ...createContext() }) }),
  );

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
