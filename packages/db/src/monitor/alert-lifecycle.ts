// Raising and resolving the monitor's alerts: one alert per condition (its dedupe key), raised once
// while the condition holds and resolved when it clears, each change an event in the workspace's
// audit chain (`alert.raised` / `alert.resolved`) committed with it. A partial unique index (open
// alerts by workspace and key) makes two monitors racing on one condition leave one row; resolving is
// a conditional UPDATE, so of two resolvers one writes the event.
import { uuidv7 } from '@sluice/engine';
import type { AlertSeverity } from '../enums';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { toJsonInput } from '../json';
import { appendWorkspaceEvents } from '../workspace-events';

/** A condition the monitor found, as the alert it raises. */
export interface MonitorAlert {
  workspaceId: string;
  /** Names the condition: `<kind>:<what>`, e.g. `stall.lease:<run>:<node>:<attempt>`. */
  dedupeKey: string;
  /** Dotted family and name: `stall.lease`, `deviation.duration`, `security.fast_approval`… */
  kind: string;
  severity: AlertSeverity;
  message: string;
  /** Metric, value, baseline, thresholds… Never inputs, outputs or secrets. */
  details: Record<string, unknown>;
  runId?: string;
  nodeId?: string;
}

/** An alert the monitor raised or resolved, as the notifier receives it. */
export interface AlertChange {
  change: 'raised' | 'resolved';
  alertId: string;
  alert: Pick<MonitorAlert, 'workspaceId' | 'dedupeKey' | 'kind' | 'severity' | 'message'> &
    Partial<Pick<MonitorAlert, 'details' | 'runId' | 'nodeId'>>;
  at: Date;
}

/**
 * Where alert changes go besides the database: the workspace's notification webhook when one is
 * configured (the notifications module plugs in here). Called after the change committed; a failure
 * is logged by the monitor and does not undo the alert.
 */
export type AlertNotifier = (change: AlertChange) => Promise<void>;

type Tx = Prisma.TransactionClient;

/**
 * Raises `alert` unless an unresolved alert with its key exists. Returns the new alert's id, or null
 * when the condition was already alerted.
 *
 * @example
 * const id = await raiseMonitorAlert(prisma, { workspaceId, dedupeKey: `stall.silent:${runId}`, ... });
 */
export async function raiseMonitorAlert(prisma: PrismaClient, alert: MonitorAlert): Promise<string | null> {
  return prisma.$transaction(async (tx) => {
    const id = uuidv7();
    const inserted = await tx.$queryRaw<Array<{ id: string }>>`
      INSERT INTO alerts (id, workspace_id, kind, severity, message, details, run_id, node_id, dedupe_key)
      VALUES (${id}, ${alert.workspaceId}, ${alert.kind}, ${alert.severity}::alert_severity, ${alert.message},
              ${JSON.stringify(toJsonInput(alert.details))}::jsonb, ${alert.runId ?? null}, ${alert.nodeId ?? null},
              ${alert.dedupeKey})
      ON CONFLICT (workspace_id, dedupe_key) WHERE dedupe_key IS NOT NULL AND resolved_at IS NULL DO NOTHING
      RETURNING id`;
    if (inserted.length === 0) return null;
    await appendWorkspaceEvents(tx, alert.workspaceId, [
      {
        type: 'alert.raised',
        payload: {
          alertId: id,
          kind: alert.kind,
          severity: alert.severity,
          message: alert.message,
          dedupeKey: alert.dedupeKey,
          ...(alert.runId ? { runId: alert.runId } : {}),
          ...(alert.nodeId ? { nodeId: alert.nodeId } : {}),
        },
      },
    ]);
    return id;
  });
}

/** An unresolved alert the monitor raised (it has a dedupe key). */
export interface OpenMonitorAlert {
  id: string;
  workspaceId: string;
  dedupeKey: string;
  kind: string;
  severity: AlertSeverity;
  message: string;
}

/**
 * Resolves an open alert because its condition cleared: sets `resolved_at` and appends
 * `alert.resolved`. Returns false when someone else resolved it first.
 */
export async function resolveMonitorAlert(
  prisma: PrismaClient,
  open: OpenMonitorAlert,
  reason: string,
): Promise<boolean> {
  return prisma.$transaction(async (tx: Tx) => {
    const updated = await tx.$queryRaw<Array<{ id: string }>>`
      UPDATE alerts SET resolved_at = now() WHERE id = ${open.id} AND resolved_at IS NULL RETURNING id`;
    if (updated.length === 0) return false;
    await appendWorkspaceEvents(tx, open.workspaceId, [
      {
        type: 'alert.resolved',
        payload: { alertId: open.id, kind: open.kind, dedupeKey: open.dedupeKey, reason },
      },
    ]);
    return true;
  });
}

/** The unresolved alerts of the given kinds, in every workspace. */
export async function openMonitorAlerts(
  prisma: PrismaClient,
  kinds: readonly string[],
): Promise<OpenMonitorAlert[]> {
  if (kinds.length === 0) return [];
  const rows = await prisma.$queryRaw<
    Array<{
      id: string;
      workspace_id: string;
      dedupe_key: string;
      kind: string;
      severity: AlertSeverity;
      message: string;
    }>
  >`SELECT id, workspace_id, dedupe_key, kind, severity::text AS severity, message FROM alerts
     WHERE dedupe_key IS NOT NULL AND resolved_at IS NULL AND kind = ANY(${[...kinds]}::text[])`;
  return rows.map((r) => ({
    id: r.id,
    workspaceId: r.workspace_id,
    dedupeKey: r.dedupe_key,
    kind: r.kind,
    severity: r.severity,
    message: r.message,
  }));
}

/** What one reconciliation changed. */
export interface ReconcileResult {
  raised: AlertChange[];
  resolved: AlertChange[];
}

/**
 * Brings the alerts of a family of conditions (`kinds`) in line with what holds now: each current
 * condition without an open alert is raised, each open alert whose condition is gone is resolved.
 * Conditions of kinds outside `kinds` are refused (a detector must name what it owns).
 */
export async function reconcileAlerts(
  prisma: PrismaClient,
  kinds: readonly string[],
  current: readonly MonitorAlert[],
): Promise<ReconcileResult> {
  const owned = new Set(kinds);
  for (const alert of current) {
    if (!owned.has(alert.kind)) throw new Error(`alert kind ${alert.kind} is not one of ${kinds.join(', ')}`);
  }
  const open = await openMonitorAlerts(prisma, kinds);
  const openKeys = new Set(open.map((a) => `${a.workspaceId}\n${a.dedupeKey}`));
  const currentKeys = new Set(current.map((a) => `${a.workspaceId}\n${a.dedupeKey}`));
  const result: ReconcileResult = { raised: [], resolved: [] };
  for (const alert of current) {
    if (openKeys.has(`${alert.workspaceId}\n${alert.dedupeKey}`)) continue;
    const id = await raiseMonitorAlert(prisma, alert);
    if (id) result.raised.push({ change: 'raised', alertId: id, alert, at: new Date() });
  }
  for (const alert of open) {
    if (currentKeys.has(`${alert.workspaceId}\n${alert.dedupeKey}`)) continue;
    if (await resolveMonitorAlert(prisma, alert, 'the condition cleared')) {
      result.resolved.push({ change: 'resolved', alertId: alert.id, alert, at: new Date() });
    }
  }
  return result;
}

/**
 * Resolves the open alert of one condition, if there is one (for detectors that judge a condition
 * only when new data arrives, so that a restart does not resolve what it has not judged yet).
 */
export async function resolveByKey(
  prisma: PrismaClient,
  workspaceId: string,
  dedupeKey: string,
  reason: string,
): Promise<AlertChange | null> {
  const rows = await prisma.$queryRaw<
    Array<{ id: string; kind: string; severity: AlertSeverity; message: string }>
  >`SELECT id, kind, severity::text AS severity, message FROM alerts
     WHERE workspace_id = ${workspaceId} AND dedupe_key = ${dedupeKey} AND resolved_at IS NULL`;
  const row = rows[0];
  if (!row) return null;
  const open: OpenMonitorAlert = { ...row, workspaceId, dedupeKey };
  if (!(await resolveMonitorAlert(prisma, open, reason))) return null;
  return { change: 'resolved', alertId: row.id, alert: open, at: new Date() };
}

/** Raises one-off alerts (each its own key; never resolved by the monitor). */
export async function raiseEach(
  prisma: PrismaClient,
  alerts: readonly MonitorAlert[],
): Promise<AlertChange[]> {
  const raised: AlertChange[] = [];
  for (const alert of alerts) {
    const id = await raiseMonitorAlert(prisma, alert);
    if (id) raised.push({ change: 'raised', alertId: id, alert, at: new Date() });
  }
  return raised;
}
