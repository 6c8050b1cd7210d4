import { createCredentialVault, createDataSealer, openDatabase, openPgStore } from '@sluice/db';
import { approvalWaitPolicies } from '@sluice/api';
import { createEngine } from '@sluice/engine';
import { serverExecutors } from '@sluice/nodes/server';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';
import { loadMasterKey } from '../master-key';
import type { Command } from './index';

/**
 * `sluice worker`: executes steps, and nothing else (no HTTP). Run as many as you like next to
 * `sluice start` on one PostgreSQL: they share the ready steps through SKIP LOCKED claims, and a
 * killed worker's steps return to the others when its leases run out. Uses DATABASE_URL, or the
 * embedded PostgreSQL a `sluice start` on this machine runs (same data directory).
 */
export const workerCommand: Command = {
  usage: 'worker [--concurrency N]',
  summary: 'execute workflow steps against DATABASE_URL, without serving HTTP',
  options: {
    help: { type: 'boolean', short: 'h' },
    concurrency: { type: 'string', short: 'c' },
  },
  async run({ values }) {
    const config = loadConfig();
    const log = createLogger(config.logLevel);
    const concurrency = values.concurrency === undefined ? 8 : Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) {
      throw new ConfigError('--concurrency must be a whole number from 1 to 1000');
    }
    const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, log });
    // The same master key as `sluice start`: SLUICE_MASTER_KEY, or the key file of the data directory.
    const masterKey = await loadMasterKey({ configured: config.masterKey, dataDir: config.dataDir }).catch(
      async (error: unknown) => {
        await db.close();
        throw error;
      },
    );
    const store = await openPgStore({
      url: db.url,
      log,
      poolSize: Math.min(20, concurrency + 2),
      sealer: createDataSealer({ prisma: db.prisma, masterKey: masterKey.key }),
    }).catch(async (error: unknown) => {
      await db.close();
      throw error;
    });
    const vault = createCredentialVault({ prisma: db.prisma, masterKey: masterKey.key });
    const engine = createEngine({
      store,
      executors: serverExecutors,
      workers: { concurrency },
      log,
      vault,
      waitPolicies: approvalWaitPolicies({ notifications: { prisma: db.prisma, log } }),
    });
    await engine.start();
    log.info(`worker ${engine.workerId} running ${concurrency} steps at a time`);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info(`${signal}: finishing running steps, then stopping`);
      await engine.stop({ graceMs: 10_000 });
      await store.close();
      await db.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    return 0;
  },
};
