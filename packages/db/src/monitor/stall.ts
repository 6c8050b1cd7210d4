// Stall detection: conditions that hold now, each one alert (raised once, resolved when it clears).
//
//   stall.lease    a running step whose lease has not been renewed: its lease expired more than
//                  `leaseGraceMs` ago and no process has returned it to ready yet (a frozen or dead
//                  worker), or a `step.lease_expired` event since the last tick (a process returned
//                  it: raised, then resolved on the next tick once the step is no longer stuck).
//   stall.overdue  a running step past its expected time: its timeout (the node's `timeoutMs`, or
//                  the default) plus `leaseGraceMs`, or earlier, when the node has history,
//                  max(`p99Multiple` × its p99 duration, p99 + `minSlackMs`).
//   stall.wait     a step waiting for people past its expiry warning: the gate's reminder time when
//                  it has one, else `waitWarnFraction` of the way from opening to expiry.
//   stall.silent   a running run with no event for longer than any of its steps may take (its
//                  longest timeout) plus `silentGraceMs`, unless a step of it waits for a retry
//                  time or for people.
import type { PrismaClient } from '../generated/prisma/client';
import type { MonitorAlert } from './alert-lifecycle';
import type { Baselines } from './baselines';
import type { FeedEvent } from './event-feed';
import type { VersionCache } from './versions';

export const stallKinds = ['stall.lease', 'stall.overdue', 'stall.wait', 'stall.silent'] as const;

export interface StallSettings {
  leaseGraceMs: number;
  defaultStepTimeoutMs: number;
  p99Multiple: number;
  minSlackMs: number;
  /** Samples a node's history needs before its p99 counts. */
  minSamples: number;
  waitWarnFraction: number;
  silentGraceMs: number;
}

interface RunningRow {
  run_id: string;
  node_id: string;
  attempt: number;
  lease_owner: string | null;
  workspace_id: string;
  workflow_version_id: string;
  running_ms: number;
  lease_overdue_ms: number | null;
}

interface WaitRow {
  run_id: string;
  node_id: string;
  workspace_id: string;
  kind: string;
  attempt: number;
  created_at: Date;
  expires_at: Date;
  remind_at: string | null;
  now: Date;
}

interface SilentRow {
  id: string;
  workspace_id: string;
  workflow_version_id: string;
  silent_ms: number;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** The stall conditions that hold now (plus leases reaped since the last tick, from `events`). */
export async function detectStalls(
  prisma: PrismaClient,
  versions: VersionCache,
  baselines: Baselines,
  events: readonly FeedEvent[],
  settings: StallSettings,
): Promise<MonitorAlert[]> {
  const found: MonitorAlert[] = [];
  const timeoutOf = async (versionId: string, nodeId: string) =>
    (await versions.get(versionId))?.nodes.get(nodeId)?.timeoutMs ?? settings.defaultStepTimeoutMs;

  // Running steps are few (bounded by the workers' concurrency): one query, judged here.
  const running = await prisma.$queryRaw<RunningRow[]>`
    SELECT s.run_id, s.node_id, s.attempt, s.lease_owner, r.workspace_id, r.workflow_version_id,
           (EXTRACT(EPOCH FROM (now() - s.started_at)) * 1000)::float8 AS running_ms,
           (EXTRACT(EPOCH FROM (now() - s.lease_expires_at)) * 1000)::float8 AS lease_overdue_ms
      FROM steps s JOIN runs r ON r.id = s.run_id
     WHERE s.status = 'running'`;
  for (const step of running) {
    const where = { workspaceId: step.workspace_id, runId: step.run_id, nodeId: step.node_id };
    if (step.lease_overdue_ms !== null && step.lease_overdue_ms > settings.leaseGraceMs) {
      found.push({
        ...where,
        dedupeKey: `stall.lease:${step.run_id}:${step.node_id}:${step.attempt}`,
        kind: 'stall.lease',
        severity: 'critical',
        message:
          `Step "${step.node_id}" (attempt ${step.attempt}) is running, but its worker ${step.lease_owner ?? '?'} ` +
          `stopped renewing its lease ${seconds(step.lease_overdue_ms)} ago.`,
        details: { attempt: step.attempt, worker: step.lease_owner, leaseOverdueMs: step.lease_overdue_ms },
      });
    }
    const timeoutMs = await timeoutOf(step.workflow_version_id, step.node_id);
    const p99 = await baselines.durationP99(step.workflow_version_id, step.node_id, settings.minSamples);
    const byTimeout = timeoutMs + settings.leaseGraceMs;
    const byHistory =
      p99 === null ? Infinity : Math.max(settings.p99Multiple * p99, p99 + settings.minSlackMs);
    const expectedMs = Math.min(byTimeout, byHistory);
    if (step.running_ms > expectedMs) {
      found.push({
        ...where,
        dedupeKey: `stall.overdue:${step.run_id}:${step.node_id}:${step.attempt}`,
        kind: 'stall.overdue',
        severity: 'warning',
        message:
          `Step "${step.node_id}" has been running for ${seconds(step.running_ms)}, past its expected ` +
          `${seconds(expectedMs)} (${byHistory < byTimeout ? `${settings.p99Multiple}× its p99 of ${seconds(p99 ?? 0)}` : `timeout ${seconds(timeoutMs)}`}).`,
        details: { attempt: step.attempt, runningMs: step.running_ms, expectedMs, timeoutMs, p99Ms: p99 },
      });
    }
  }

  // A lease some process already returned to ready: the worker froze or died.
  for (const e of events) {
    if (e.type !== 'step.lease_expired' || e.runId === null || typeof e.payload.nodeId !== 'string') continue;
    const attempt = Number(e.payload.attempt);
    const key = `stall.lease:${e.runId}:${e.payload.nodeId}:${attempt}`;
    if (found.some((a) => a.dedupeKey === key && a.workspaceId === e.workspaceId)) continue;
    found.push({
      workspaceId: e.workspaceId,
      runId: e.runId,
      nodeId: e.payload.nodeId,
      dedupeKey: key,
      kind: 'stall.lease',
      severity: 'critical',
      message:
        `The worker ${String(e.payload.worker ?? '?')} running step "${e.payload.nodeId}" (attempt ${attempt}) ` +
        `stopped renewing its lease; the step was returned to the queue.`,
      details: { attempt, worker: e.payload.worker ?? null, recovered: true },
    });
  }

  const waits = await prisma.$queryRaw<WaitRow[]>`
    SELECT run_id, node_id, workspace_id, kind::text AS kind, attempt, created_at, expires_at,
           request->'expiry'->>'remindAt' AS remind_at, now() AS now
      FROM waits WHERE status = 'open' AND expires_at IS NOT NULL`;
  for (const wait of waits) {
    const opened = wait.created_at.getTime();
    const expires = wait.expires_at.getTime();
    const remind = wait.remind_at === null ? NaN : Date.parse(wait.remind_at);
    const warnAt = Number.isFinite(remind)
      ? Math.min(remind, expires)
      : opened + settings.waitWarnFraction * (expires - opened);
    if (wait.now.getTime() < warnAt) continue;
    found.push({
      workspaceId: wait.workspace_id,
      runId: wait.run_id,
      nodeId: wait.node_id,
      dedupeKey: `stall.wait:${wait.run_id}:${wait.node_id}:${wait.attempt}`,
      kind: 'stall.wait',
      severity: 'warning',
      message:
        `Step "${wait.node_id}" has waited for ${wait.kind === 'gate' ? 'approval' : 'a person'} since ` +
        `${wait.created_at.toISOString()} and expires at ${wait.expires_at.toISOString()}.`,
      details: {
        attempt: wait.attempt,
        waitKind: wait.kind,
        openedAt: wait.created_at.toISOString(),
        expiresAt: wait.expires_at.toISOString(),
      },
    });
  }

  const silent = await prisma.$queryRaw<SilentRow[]>`
    SELECT r.id, r.workspace_id, r.workflow_version_id,
           (EXTRACT(EPOCH FROM (now() - e.created_at)) * 1000)::float8 AS silent_ms
      FROM runs r JOIN events e ON e.run_id = r.id AND e.seq = r.last_seq
     WHERE r.status = 'running'
       AND e.created_at < now() - make_interval(secs => ${settings.silentGraceMs}::float8 / 1000)
       AND NOT EXISTS (SELECT 1 FROM steps s WHERE s.run_id = r.id AND s.status = 'ready' AND s.available_at > now())
       AND NOT EXISTS (SELECT 1 FROM waits w WHERE w.run_id = r.id AND w.status = 'open')`;
  for (const run of silent) {
    const facts = await versions.get(run.workflow_version_id);
    const timeouts = [...(facts?.nodes.values() ?? [])].map(
      (n) => n.timeoutMs ?? settings.defaultStepTimeoutMs,
    );
    const longest = timeouts.length > 0 ? Math.max(...timeouts) : settings.defaultStepTimeoutMs;
    const limit = longest + settings.silentGraceMs;
    if (run.silent_ms <= limit) continue;
    found.push({
      workspaceId: run.workspace_id,
      runId: run.id,
      dedupeKey: `stall.silent:${run.id}`,
      kind: 'stall.silent',
      severity: 'warning',
      message: `Run has recorded nothing for ${seconds(run.silent_ms)}, longer than any of its steps may take (${seconds(limit)}).`,
      details: { silentMs: run.silent_ms, limitMs: limit },
    });
  }
  return found;
}
