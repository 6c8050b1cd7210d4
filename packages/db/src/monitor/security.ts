// Security signals. Agent-token scope violations and refused tokens are alerted where they happen
// (packages/api audit-log: `token.out_of_scope`, `token.refused`); this module adds what needs a
// view across requests:
//
//   security.token_new_address  a token used from an address it was never used from before (the
//                               `token.used` audit events carry the client address); the first
//                               address a token is used from is its baseline, not an alert.
//   security.fast_approval      a gate approval decided sooner after the review opened than its
//                               payload can be read at `wordsPerSecond` (payloads of fewer than
//                               `minWords` words are not judged).
//   security.sign_in_failures   a member's account with at least `threshold` failed sign-ins in the
//                               current throttling window: attempts counted by the sign-in throttle
//                               (`rate_limits`, key `email|…`) minus sessions created since the
//                               window began. Raised in every workspace the member belongs to.
//   security.handoff_surge      at least `threshold` blocked handoffs (steps failed with
//                               HANDOFF_BLOCKED, `handoff.inspected` events that blocked) in a
//                               workspace within `windowMs`; resolved when the count falls below.
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client';
import { type AlertChange, type MonitorAlert, raiseEach, reconcileAlerts } from './alert-lifecycle';
import type { FeedEvent } from './event-feed';
import { minimumReadingMs, wordsShown } from './reading-time';

export const securityKinds = {
  oneOff: ['security.token_new_address', 'security.fast_approval', 'security.sign_in_failures'],
  condition: ['security.handoff_surge'],
} as const;

export interface SecuritySettings {
  wordsPerSecond: number;
  minWords: number;
  /** How far back resolved gate reviews are looked at (covers the ticks in between). */
  approvalLookbackMs: number;
  signInFailureThreshold: number;
  handoffSurge: { windowMs: number; threshold: number };
}

// Only the fields read here: a decision's person, verdict and time.
const GateDecisions = z.object({
  decisions: z
    .array(z.object({ userId: z.string(), verdict: z.string(), at: z.string().datetime({ offset: true }) }))
    .default([]),
});

/** Whether an event records a handoff that was blocked. */
export function isBlockedHandoff(e: Pick<FeedEvent, 'type' | 'payload'>): boolean {
  if (e.type === 'step.failed') {
    const error = e.payload.error;
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'HANDOFF_BLOCKED';
  }
  if (e.type !== 'handoff.inspected') return false;
  const p = e.payload;
  return p.blocked === true || p.action === 'block' || p.outcome === 'blocked' || p.verdict === 'block';
}

export class SecuritySignals {
  readonly #addresses = new Map<string, Promise<Set<string>>>();
  readonly #blocked = new Map<string, number[]>();
  readonly #startedAt = Date.now();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly settings: SecuritySettings,
  ) {}

  /** Judges the new events and scans reviews and sign-ins; returns the alert changes. */
  async detect(events: readonly FeedEvent[], now = Date.now()): Promise<AlertChange[]> {
    const alerts: MonitorAlert[] = [];
    for (const e of events) {
      if (e.type === 'token.used') alerts.push(...(await this.#newAddress(e)));
      if (isBlockedHandoff(e))
        this.#blocked.set(e.workspaceId, [...(this.#blocked.get(e.workspaceId) ?? []), now]);
    }
    alerts.push(...(await this.#fastApprovals()), ...(await this.#signInFailures()));
    const changes = await raiseEach(this.prisma, alerts);
    const surges = await this.#handoffSurges(now);
    changes.push(...surges.raised, ...surges.resolved);
    return changes;
  }

  async #newAddress(e: FeedEvent): Promise<MonitorAlert[]> {
    const tokenId = typeof e.payload.tokenId === 'string' ? e.payload.tokenId : null;
    const ip = typeof e.payload.clientIp === 'string' ? e.payload.clientIp : null;
    if (!tokenId || !ip) return [];
    let known = this.#addresses.get(tokenId);
    if (!known) {
      known = this.#loadAddresses(e.workspaceId, tokenId, e.id);
      this.#addresses.set(tokenId, known);
      known.catch(() => this.#addresses.delete(tokenId));
    }
    const set = await known;
    if (set.has(ip)) return [];
    const first = set.size === 0;
    set.add(ip);
    if (first) return [];
    return [
      {
        workspaceId: e.workspaceId,
        dedupeKey: `security.token_new_address:${tokenId}:${ip}`,
        kind: 'security.token_new_address',
        severity: 'warning',
        message: `API token ${tokenId} was used from ${ip}, an address it was never used from before.`,
        details: { tokenId, clientIp: ip, knownAddresses: set.size - 1, path: e.payload.path ?? null },
      },
    ];
  }

  async #loadAddresses(workspaceId: string, tokenId: string, before: bigint): Promise<Set<string>> {
    const rows = await this.prisma.$queryRaw<Array<{ ip: string }>>`
      SELECT DISTINCT payload->>'clientIp' AS ip FROM events
       WHERE workspace_id = ${workspaceId} AND run_id IS NULL AND id < ${before} AND type = 'token.used'
         AND payload->>'tokenId' = ${tokenId} AND payload->>'clientIp' IS NOT NULL`;
    return new Set(rows.map((r) => r.ip));
  }

  async #fastApprovals(): Promise<MonitorAlert[]> {
    const waits = await this.prisma.$queryRaw<
      Array<{
        run_id: string;
        node_id: string;
        workspace_id: string;
        attempt: number;
        created_at: Date;
        payload: unknown;
        state: unknown;
      }>
    >`SELECT run_id, node_id, workspace_id, attempt, created_at, payload, state FROM waits
       WHERE kind = 'gate' AND jsonb_array_length(COALESCE(state->'decisions', '[]')) > 0
         AND (status = 'open' OR resolved_at > now() - make_interval(secs => ${this.settings.approvalLookbackMs}::float8 / 1000))`;
    const alerts: MonitorAlert[] = [];
    for (const wait of waits) {
      const state = GateDecisions.safeParse(wait.state);
      if (!state.success) continue;
      const words = wordsShown(wait.payload);
      if (words < this.settings.minWords) continue;
      const neededMs = minimumReadingMs(words, this.settings.wordsPerSecond);
      for (const decision of state.data.decisions) {
        if (decision.verdict !== 'approve') continue;
        const tookMs = Date.parse(decision.at) - wait.created_at.getTime();
        if (tookMs >= neededMs) continue;
        alerts.push({
          workspaceId: wait.workspace_id,
          runId: wait.run_id,
          nodeId: wait.node_id,
          dedupeKey: `security.fast_approval:${wait.run_id}:${wait.node_id}:${wait.attempt}:${decision.userId}`,
          kind: 'security.fast_approval',
          severity: 'warning',
          message:
            `An approval of "${wait.node_id}" came ${Math.round(tookMs / 100) / 10} s after the review opened; ` +
            `its ${words} words take at least ${Math.round(neededMs / 100) / 10} s to read.`,
          details: {
            userId: decision.userId,
            attempt: wait.attempt,
            decidedAfterMs: tookMs,
            words,
            minimumReadingMs: neededMs,
            wordsPerSecond: this.settings.wordsPerSecond,
          },
        });
      }
    }
    return alerts;
  }

  async #signInFailures(): Promise<MonitorAlert[]> {
    const rows = await this.prisma.$queryRaw<
      Array<{
        user_id: string;
        email: string;
        workspace_id: string;
        attempts: number;
        sessions: number;
        window_started_at: Date;
      }>
    >`SELECT u.id AS user_id, u.email, m.workspace_id, rl.count AS attempts, rl.window_started_at,
             (SELECT count(*)::int FROM sessions se
               WHERE se.user_id = u.id AND se.created_at >= rl.window_started_at) AS sessions
        FROM rate_limits rl
        JOIN users u ON u.email = substr(rl.key, 7)
        JOIN memberships m ON m.user_id = u.id
       WHERE rl.key LIKE 'email|%' AND rl.count >= ${this.settings.signInFailureThreshold}
         AND rl.window_started_at > now() - interval '1 day'`;
    return rows.flatMap((row) => {
      const failures = row.attempts - row.sessions;
      if (failures < this.settings.signInFailureThreshold) return [];
      return [
        {
          workspaceId: row.workspace_id,
          dedupeKey: `security.sign_in_failures:${row.user_id}:${row.window_started_at.toISOString()}`,
          kind: 'security.sign_in_failures',
          severity: 'warning',
          message: `${failures} failed sign-in attempts for ${row.email} since ${row.window_started_at.toISOString()}.`,
          details: {
            userId: row.user_id,
            failures,
            attempts: row.attempts,
            windowStartedAt: row.window_started_at.toISOString(),
          },
        },
      ];
    });
  }

  async #handoffSurges(now: number) {
    const { windowMs, threshold } = this.settings.handoffSurge;
    const current: MonitorAlert[] = [];
    for (const [workspaceId, times] of this.#blocked) {
      const recent = times.filter((t) => t > now - windowMs);
      if (recent.length === 0) this.#blocked.delete(workspaceId);
      else this.#blocked.set(workspaceId, recent);
      if (recent.length < threshold) continue;
      current.push({
        workspaceId,
        dedupeKey: `security.handoff_surge:${workspaceId}`,
        kind: 'security.handoff_surge',
        severity: 'critical',
        message: `${recent.length} handoffs were blocked in the last ${Math.round(windowMs / 60_000)} min.`,
        details: { blocked: recent.length, windowMs, threshold },
      });
    }
    // Until this process has watched a whole window it cannot say a surge is over.
    if (now - this.#startedAt < windowMs) {
      return { raised: await raiseEach(this.prisma, current), resolved: [] };
    }
    return reconcileAlerts(this.prisma, securityKinds.condition, current);
  }
}
