// What `sluice start` runs for operators beside the server: the monitor (stall, deviation and
// security alerts; packages/db/src/monitor) and the run-trace exporter (when an OTLP endpoint is
// set). One call to start both, one to stop both, so the start command stays a wiring file.
import { type AlertNotifier, type DbLogger, type PrismaClient, startMonitor } from '@sluice/db';
import type { Store } from '@sluice/engine';
import { z } from 'zod';
import { startRunTraceExporter, traceSettings } from './trace-exporter';

const Settings = z.object({
  /** off: this process runs no monitor (another process on the database does). */
  SLUICE_MONITOR: z.enum(['on', 'off']).default('on'),
  SLUICE_MONITOR_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** Words a reviewer reads per second, for the fast-approval signal. */
  SLUICE_MONITOR_READING_WPS: z.coerce.number().positive().max(1_000).default(8),
});

export interface Operations {
  stop(): Promise<void>;
}

export interface OperationsOptions {
  prisma: PrismaClient;
  store: Pick<Store, 'getRun' | 'getSteps' | 'readEvents' | 'loadVersion'>;
  env: Record<string, string | undefined>;
  version: string;
  log: DbLogger;
  /**
   * Where alert changes go besides the database and the audit chain. The workspace notification
   * webhook plugs in here once the notifications module exists; until then nothing is sent.
   */
  notify?: AlertNotifier;
}

/**
 * Starts the monitor and the trace exporter as the environment says; an invalid setting throws an
 * error naming it.
 *
 * @example
 * const operations = await startOperations({ prisma: db.prisma, store, env: process.env, version, log });
 * await operations.stop();
 */
export async function startOperations(options: OperationsOptions): Promise<Operations> {
  const parsed = Settings.safeParse(options.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid monitor setting ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const settings = parsed.data;
  const traces = await startRunTraceExporter({
    settings: traceSettings(options.env),
    prisma: options.prisma,
    store: options.store,
    version: options.version,
    log: options.log,
  });
  const monitor =
    settings.SLUICE_MONITOR === 'on'
      ? await startMonitor({
          prisma: options.prisma,
          log: options.log,
          ...(options.notify ? { notify: options.notify } : {}),
          settings: {
            intervalMs: settings.SLUICE_MONITOR_INTERVAL_MS,
            security: { wordsPerSecond: settings.SLUICE_MONITOR_READING_WPS },
          },
        })
      : null;
  return {
    async stop() {
      await monitor?.stop();
      await traces?.stop();
    },
  };
}
