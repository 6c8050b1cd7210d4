import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { deriveAuthSecret } from '@sluice/api';
import { openDatabase, openPgStore, type PgStore } from '@sluice/db';
import { createEngine, type Engine } from '@sluice/engine';
import { serverExecutors } from '@sluice/nodes/server';
import { createApp } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { loadMasterKey } from '../master-key';
import { seedOnFirstStart } from '../seed';
import { version } from '../version';
import type { Command } from './index';

const defaultWebDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

export const startCommand: Command = {
  usage: 'start',
  summary: 'start the server (and the embedded database unless DATABASE_URL is set)',
  options: { help: { type: 'boolean', short: 'h' } },
  async run() {
    const startedAt = performance.now();
    const config = loadConfig();
    const log = createLogger(config.logLevel);
    const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, log });
    let server: ReturnType<typeof serve> | undefined;
    let store: PgStore | undefined;
    let engine: Engine | undefined;
    let stopping = false;
    const release = async () => {
      await engine?.stop({ graceMs: 10_000 });
      await store?.close();
      await db.close();
    };
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info(`${signal}: stopping`);
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await release();
      log.info('stopped');
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));

    try {
      const masterKey = await loadMasterKey({ configured: config.masterKey, dataDir: config.dataDir });
      if (!db.embedded && masterKey.source !== 'env') {
        log.warn(
          `SLUICE_MASTER_KEY is not set: credentials in the external database are wrapped by ${masterKey.source}`,
        );
      }
      await seedOnFirstStart({ db, dataDir: config.dataDir, log });
      // Server and workers in one process; `sluice worker` adds more workers on the same database.
      store = await openPgStore({ url: db.url, log });
      engine = createEngine({ store, executors: serverExecutors, log });
      await engine.start();
      const app = createApp({
        db,
        version,
        webDir: defaultWebDir,
        services: { engine },
        auth: {
          secret: deriveAuthSecret(masterKey.key),
          publicUrl: config.publicUrl,
          trustedOrigins: config.trustedOrigins,
        },
      });
      server = await listen(app.fetch, config.port, config.host);
    } catch (error) {
      await release();
      throw error;
    }
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    log.info(
      `Sluice ${version} listening on http://${shownHost}:${config.port} (public URL ${config.publicUrl}) ` +
        `(${db.embedded ? 'embedded PostgreSQL' : 'external PostgreSQL'}, ready in ${Math.round(performance.now() - startedAt)} ms)`,
    );
    return 0;
  },
};

function listen(fetch: Parameters<typeof serve>[0]['fetch'], port: number, hostname: string) {
  return new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} on ${hostname} is already in use; set PORT to another one`)
          : error,
      ),
    );
  });
}
