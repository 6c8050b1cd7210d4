import path from 'node:path';
import { alertWebhookNotifier, approvalWaitPolicies, deriveAuthSecret } from '@sluice/api';
import {
  createCredentialVault,
  createDataSealer,
  openDatabase,
  openPgStore,
  type PgStore,
  repoRoot,
} from '@sluice/db';
import { createEngine, type Engine } from '@sluice/engine';
import { serverExecutors } from '@sluice/nodes/server';
import { createApp } from '../app';
import { loadConfig } from '../config';
import { listen, type ListeningServer } from '../listen';
import { createLogger } from '../logger';
import { loadMasterKey } from '../master-key';
import { seedOnFirstStart } from '../seed';
import { type Operations, startOperations } from '../telemetry/operations';
import { version } from '../version';
import { vaultWebhookVerifier } from '../webhook-verifier';
import type { Command } from './index';

const defaultWebDir = path.join(repoRoot, 'apps', 'web', 'dist');

export const startCommand: Command = {
  usage: 'start',
  summary: 'start the server (and the embedded database unless DATABASE_URL is set)',
  options: { help: { type: 'boolean', short: 'h' } },
  async run() {
    const startedAt = performance.now();
    const config = loadConfig();
    const log = createLogger(config.logLevel);
    const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, log });
    let server: ListeningServer | undefined;
    let store: PgStore | undefined;
    let engine: Engine | undefined;
    let operations: Operations | undefined;
    let stopping = false;
    const release = async () => {
      await operations?.stop();
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
      // One sealer for the engine's store (encrypts confidential step data) and the API (opens it for
      // callers allowed to read it).
      const sealer = createDataSealer({ prisma: db.prisma, masterKey: masterKey.key });
      store = await openPgStore({ url: db.url, log, sealer });
      const vault = createCredentialVault({ prisma: db.prisma, masterKey: masterKey.key });
      engine = createEngine({
        store,
        executors: serverExecutors,
        log,
        vault,
        waitPolicies: approvalWaitPolicies({ notifications: { prisma: db.prisma, log } }),
      });
      await engine.start();
      // Stall, deviation and security alerts; run traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
      operations = await startOperations({
        prisma: db.prisma,
        store,
        env: process.env,
        version,
        log,
        notify: alertWebhookNotifier({ prisma: db.prisma, log }),
      });
      const app = createApp({
        db,
        version,
        webDir: defaultWebDir,
        services: { engine, vault, sealer },
        webhooks: { engine, verifyWebhook: vaultWebhookVerifier({ db, vault }) },
        tls: config.tls !== undefined,
        auth: {
          secret: deriveAuthSecret(masterKey.key),
          publicUrl: config.publicUrl,
          trustedOrigins: config.trustedOrigins,
        },
      });
      server = await listen({ fetch: app.fetch, port: config.port, hostname: config.host, tls: config.tls });
    } catch (error) {
      await release();
      throw error;
    }
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    log.info(
      `Sluice ${version} listening on ${config.tls ? 'https' : 'http'}://${shownHost}:${config.port} (public URL ${config.publicUrl}) ` +
        `(${db.embedded ? 'embedded PostgreSQL' : 'external PostgreSQL'}, ready in ${Math.round(performance.now() - startedAt)} ms)`,
    );
    return 0;
  },
};
