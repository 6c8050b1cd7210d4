// The monitor loop: every `intervalMs` one tick reads the new events (event-feed.ts), feeds the
// deviation baselines and the security signals, checks the stall conditions and brings the alerts
// in line, then hands each change to the notifier. Ticks never overlap. Several processes may run a
// monitor on one database: the open-alert unique index keeps one alert per condition, and resolving
// is conditional, so each change is recorded (and notified) once.
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client';
import { type DbLogger, silentLogger } from '../logger';
import { type AlertChange, type AlertNotifier, reconcileAlerts } from './alert-lifecycle';
import { Baselines } from './baselines';
import { detectDeviations } from './deviation';
import { EventFeed } from './event-feed';
import { SecuritySignals } from './security';
import { detectStalls, stallKinds } from './stall';
import { VersionCache } from './versions';

const Ms = z.number().int().min(0);

/**
 * The monitor's settings, every one with a default. The deviation and rate rules are explained in
 * robust-stats.ts, the stall conditions in stall.ts, the security signals in security.ts.
 */
export const MonitorSettings = z.strictObject({
  intervalMs: Ms.min(100).default(5_000),
  /** How long an event must have been committed before the feed moves past it. */
  settleMs: Ms.default(2_000),
  batch: z.number().int().min(1).max(10_000).default(1_000),
  stall: z
    .strictObject({
      leaseGraceMs: Ms.default(2_000),
      defaultStepTimeoutMs: Ms.min(1).default(300_000),
      p99Multiple: z.number().min(1).default(5),
      minSlackMs: Ms.default(10_000),
      minSamples: z.number().int().min(1).default(20),
      waitWarnFraction: z.number().min(0).max(1).default(0.8),
      silentGraceMs: Ms.default(30_000),
    })
    .default({
      leaseGraceMs: 2_000,
      defaultStepTimeoutMs: 300_000,
      p99Multiple: 5,
      minSlackMs: 10_000,
      minSamples: 20,
      waitWarnFraction: 0.8,
      silentGraceMs: 30_000,
    }),
  deviation: z
    .strictObject({
      /** N: the successful steps a baseline holds. */
      window: z.number().int().min(2).max(10_000).default(50),
      minSamples: z.number().int().min(2).default(20),
      zThreshold: z.number().positive().default(6),
      minRelativeChange: z.number().min(0).default(1),
      rateRecentWindow: z.number().int().min(1).default(10),
      rateMinEvents: z.number().int().min(1).default(3),
    })
    .default({
      window: 50,
      minSamples: 20,
      zThreshold: 6,
      minRelativeChange: 1,
      rateRecentWindow: 10,
      rateMinEvents: 3,
    }),
  security: z
    .strictObject({
      wordsPerSecond: z.number().positive().default(8),
      minWords: z.number().int().min(0).default(20),
      approvalLookbackMs: Ms.default(15 * 60_000),
      signInFailureThreshold: z.number().int().min(1).default(5),
      handoffSurgeWindowMs: Ms.min(1).default(10 * 60_000),
      handoffSurgeThreshold: z.number().int().min(1).default(5),
    })
    .default({
      wordsPerSecond: 8,
      minWords: 20,
      approvalLookbackMs: 15 * 60_000,
      signInFailureThreshold: 5,
      handoffSurgeWindowMs: 10 * 60_000,
      handoffSurgeThreshold: 5,
    }),
});
export type MonitorSettings = z.infer<typeof MonitorSettings>;
export type MonitorSettingsInput = z.input<typeof MonitorSettings>;

const FEED_TYPES = ['step.succeeded', 'step.failed', 'step.lease_expired', 'token.used', 'handoff.inspected'];

export interface MonitorOptions {
  prisma: PrismaClient;
  settings?: MonitorSettingsInput;
  /** Receives every raised and resolved alert after it committed (the notification webhook). */
  notify?: AlertNotifier;
  log?: DbLogger;
}

export interface Monitor {
  /** Runs one tick now (waiting for a running one first); resolves with what it changed. */
  tick(): Promise<AlertChange[]>;
  /** Stops the loop and waits for a running tick. */
  stop(): Promise<void>;
}

/**
 * Creates a monitor; `start` begins the loop (its first tick after `intervalMs`). The event feed
 * starts at the newest event of the moment: history before the monitor started is not replayed.
 *
 * @example
 * const monitor = await startMonitor({ prisma: db.prisma, notify: webhookNotifier, log });
 * process.once('SIGTERM', () => void monitor.stop());
 */
export async function startMonitor(options: MonitorOptions & { loop?: boolean }): Promise<Monitor> {
  const settings = MonitorSettings.parse(options.settings ?? {});
  const { prisma } = options;
  const log = options.log ?? silentLogger;
  const versions = new VersionCache(prisma);
  const d = settings.deviation;
  const baselines = new Baselines(prisma, { successes: d.window, outcomes: d.window + d.rateRecentWindow });
  const feed = new EventFeed(prisma, FEED_TYPES, { settleMs: settings.settleMs, batch: settings.batch });
  await feed.startAtHead();
  const security = new SecuritySignals(prisma, {
    wordsPerSecond: settings.security.wordsPerSecond,
    minWords: settings.security.minWords,
    approvalLookbackMs: settings.security.approvalLookbackMs,
    signInFailureThreshold: settings.security.signInFailureThreshold,
    handoffSurge: {
      windowMs: settings.security.handoffSurgeWindowMs,
      threshold: settings.security.handoffSurgeThreshold,
    },
  });

  const runTick = async (): Promise<AlertChange[]> => {
    const events = await feed.next();
    const changes: AlertChange[] = [];
    changes.push(
      ...(await detectDeviations(prisma, baselines, events, {
        value: { minSamples: d.minSamples, zThreshold: d.zThreshold, minRelativeChange: d.minRelativeChange },
        rate: { minSamples: d.minSamples, recentWindow: d.rateRecentWindow, minEvents: d.rateMinEvents },
      })),
    );
    const stalls = await detectStalls(prisma, versions, baselines, events, {
      ...settings.stall,
      minSamples: d.minSamples,
    });
    const reconciled = await reconcileAlerts(prisma, stallKinds, stalls);
    changes.push(...reconciled.raised, ...reconciled.resolved);
    changes.push(...(await security.detect(events)));
    for (const change of changes) {
      log.info(`alert ${change.change}: ${change.alert.kind} ${change.alert.dedupeKey}`);
      if (!options.notify) continue;
      try {
        await options.notify(change);
      } catch (error) {
        log.warn(`alert notification failed: ${error instanceof Error ? error.message : error}`);
      }
    }
    return changes;
  };

  let current: Promise<AlertChange[]> | undefined;
  const tick = async (): Promise<AlertChange[]> => {
    while (current) await current.catch(() => undefined);
    current = runTick();
    try {
      return await current;
    } finally {
      current = undefined;
    }
  };

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(async () => {
      try {
        await tick();
      } catch (error) {
        log.warn(`monitor tick failed: ${error instanceof Error ? error.message : error}`);
      }
      schedule();
    }, settings.intervalMs);
    timer.unref();
  };
  if (options.loop !== false) schedule();

  return {
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current?.catch(() => undefined);
    },
  };
}
