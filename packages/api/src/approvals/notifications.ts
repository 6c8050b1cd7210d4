// Outgoing approval notifications: a Slack-compatible webhook per workspace, told when a review or
// task opens, is decided, is reminded, escalates or expires. The news is read from the committed run
// events (never from a transaction that might still roll back) behind a cursor row that is locked
// while it advances, so with several server and worker processes each piece of news is sent once.
// Delivery is best effort (one try, 5 s): a webhook that is down misses the news, the runs do not wait.
import type { Database } from '@sluice/db';
import type { EngineLogger } from '@sluice/engine';
import { z } from 'zod';

const CURSOR = 'approval-webhooks';
const TYPES = ['step.waiting', 'wait.decided', 'wait.reminded', 'wait.escalated', 'wait.expired'];
const BATCH = 200;

/**
 * A webhook URL a workspace may store: https anywhere, plain http only to this machine (a local
 * relay or a test). No credentials in the URL's user part.
 */
export const WebhookUrl = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((raw) => {
    const url = new URL(raw);
    if (url.username || url.password) return false;
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  }, 'use an https:// URL (plain http only to localhost), without a user name or password');

/** The URL as shown to people: its origin only (Slack keeps the secret in the path). */
export function maskWebhookUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
}

export interface ApprovalNotice {
  event: string;
  workspaceId: string;
  runId: string;
  nodeId: string;
  text: string;
  at: string;
}

interface EventRow {
  id: bigint;
  workspaceId: string;
  runId: string | null;
  type: string;
  payload: unknown;
  createdAt: Date;
}

const Ref = z.object({ nodeId: z.string() }).passthrough();
const Waiting = z.object({
  nodeId: z.string(),
  kind: z.enum(['gate', 'human']).optional(),
  expiresAt: z.string().optional(),
});
const Decided = z.object({
  nodeId: z.string(),
  kind: z.enum(['gate', 'human']),
  decision: z.string(),
  userId: z.string(),
  approvals: z.number().optional(),
  quorum: z.number().optional(),
  outcome: z.string().optional(),
  comment: z.string().optional(),
});
const Escalated = z.object({
  nodeId: z.string(),
  to: z.object({ roles: z.array(z.string()), users: z.array(z.string()) }),
});
const Expired = z.object({ nodeId: z.string(), kind: z.enum(['gate', 'human']), outcome: z.string() });

/** The news an event is, in words (null: not news, e.g. a step that waits for something else). */
export function noticeOf(
  event: EventRow,
  workflowName: string,
  names: ReadonlyMap<string, string>,
): ApprovalNotice | null {
  if (!event.runId) return null;
  const base = { workspaceId: event.workspaceId, runId: event.runId, at: event.createdAt.toISOString() };
  const where = (nodeId: string) => `*${workflowName}* › \`${nodeId}\` (run ${event.runId})`;
  switch (event.type) {
    case 'step.waiting': {
      const p = Waiting.safeParse(event.payload);
      if (!p.success || !p.data.kind) return null;
      const what =
        p.data.kind === 'gate' ? 'A review is waiting for approval' : 'A task is waiting for an answer';
      return {
        ...base,
        event: p.data.kind === 'gate' ? 'review.opened' : 'task.opened',
        nodeId: p.data.nodeId,
        text: `${what}: ${where(p.data.nodeId)}`,
      };
    }
    case 'wait.decided': {
      const p = Decided.safeParse(event.payload);
      if (!p.success) return null;
      const who = names.get(p.data.userId) ?? p.data.userId;
      const { nodeId } = p.data;
      if (p.data.kind === 'human')
        return { ...base, event: 'task.answered', nodeId, text: `${who} answered the task ${where(nodeId)}` };
      const verb = p.data.decision === 'approve' ? 'approved' : 'rejected';
      const tally = p.data.outcome
        ? `: the review is ${p.data.outcome}`
        : ` (${p.data.approvals ?? 0} of ${p.data.quorum ?? 1} approvals)`;
      const why = p.data.comment ? ` — “${p.data.comment.slice(0, 300)}”` : '';
      return {
        ...base,
        event: p.data.outcome ? 'review.decided' : 'review.vote',
        nodeId,
        text: `${who} ${verb} ${where(nodeId)}${tally}${why}`,
      };
    }
    case 'wait.reminded': {
      const p = Ref.safeParse(event.payload);
      return p.success
        ? {
            ...base,
            event: 'review.reminder',
            nodeId: p.data.nodeId,
            text: `Reminder: a review is still waiting: ${where(p.data.nodeId)}`,
          }
        : null;
    }
    case 'wait.escalated': {
      const p = Escalated.safeParse(event.payload);
      if (!p.success) return null;
      const to = [...p.data.to.roles.map((r) => `role ${r}`), ...p.data.to.users].join(', ');
      return {
        ...base,
        event: 'review.escalated',
        nodeId: p.data.nodeId,
        text: `Nobody decided in time: ${where(p.data.nodeId)} is escalated to ${to}`,
      };
    }
    case 'wait.expired': {
      const p = Expired.safeParse(event.payload);
      if (!p.success) return null;
      const what =
        p.data.kind === 'gate' ? 'review expired and was rejected' : 'task expired and its step failed';
      return {
        ...base,
        event: `${p.data.kind === 'gate' ? 'review' : 'task'}.expired`,
        nodeId: p.data.nodeId,
        text: `The ${what}: ${where(p.data.nodeId)}`,
      };
    }
    default:
      return null;
  }
}

export interface NotifierOptions {
  prisma: Database['prisma'];
  log?: EngineLogger;
  /** Events younger than this are left for the next round (a commit with a lower id may still land). */
  settleMs?: number;
  fetch?: typeof globalThis.fetch;
}

/**
 * Reads new decision news from the run events and posts it to each workspace's webhook.
 *
 * @example
 * const notifier = new ApprovalNotifier({ prisma: db.prisma, log });
 * notifier.start(2_000);
 */
export class ApprovalNotifier {
  readonly #prisma: Database['prisma'];
  readonly #log: EngineLogger | undefined;
  readonly #settleMs: number;
  readonly #fetch: typeof globalThis.fetch;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: NotifierOptions) {
    this.#prisma = options.prisma;
    this.#log = options.log;
    this.#settleMs = options.settleMs ?? 2_000;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /** One round: takes the news past the cursor (advancing it) and posts it; resolves with what was sent. */
  async poll(): Promise<ApprovalNotice[]> {
    const taken = await this.#prisma.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO notification_cursors (name, last_event_id)
        SELECT ${CURSOR}, COALESCE(MAX(id), 0) FROM events ON CONFLICT (name) DO NOTHING`;
      const rows = await tx.$queryRaw<{ last_event_id: bigint }[]>`
        SELECT last_event_id FROM notification_cursors WHERE name = ${CURSOR} FOR UPDATE`;
      const cursor = rows[0]?.last_event_id ?? 0n;
      const events = await tx.event.findMany({
        where: {
          id: { gt: cursor },
          runId: { not: null },
          type: { in: TYPES },
          createdAt: { lt: new Date(Date.now() - this.#settleMs) },
        },
        orderBy: { id: 'asc' },
        take: BATCH,
        select: { id: true, workspaceId: true, runId: true, type: true, payload: true, createdAt: true },
      });
      const last = events.at(-1);
      if (last)
        await tx.notificationCursor.update({ where: { name: CURSOR }, data: { lastEventId: last.id } });
      return events;
    });
    if (taken.length === 0) return [];
    const notices = await this.#describe(taken);
    const sent: ApprovalNotice[] = [];
    for (const notice of notices) if (await this.#post(notice)) sent.push(notice);
    return sent;
  }

  start(intervalMs = 2_000): void {
    if (this.#timer) return;
    const round = () => {
      this.#timer = setTimeout(async () => {
        try {
          await this.poll();
        } catch (error) {
          this.#log?.warn(`approval notifications: ${error instanceof Error ? error.message : error}`);
        }
        if (this.#timer) round();
      }, intervalMs);
      this.#timer.unref();
    };
    round();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #describe(events: EventRow[]): Promise<ApprovalNotice[]> {
    const runIds = [...new Set(events.flatMap((e) => (e.runId ? [e.runId] : [])))];
    const runs = await this.#prisma.run.findMany({
      where: { id: { in: runIds } },
      select: { id: true, workflowVersion: { select: { workflow: { select: { name: true } } } } },
    });
    const workflowOf = new Map(runs.map((r) => [r.id, r.workflowVersion.workflow.name]));
    const userIds = events.flatMap((e) => {
      const p = Decided.safeParse(e.payload);
      return p.success ? [p.data.userId] : [];
    });
    const users = await this.#prisma.user.findMany({
      where: { id: { in: userIds } },
      select: { id: true, name: true },
    });
    const names = new Map(users.map((u) => [u.id, u.name]));
    return events.flatMap((e) => {
      const notice = noticeOf(e, workflowOf.get(e.runId ?? '') ?? 'a workflow', names);
      return notice ? [notice] : [];
    });
  }

  #post(notice: ApprovalNotice): Promise<boolean> {
    return postToWorkspaceWebhook(
      { prisma: this.#prisma, fetch: this.#fetch, log: this.#log },
      notice.workspaceId,
      {
        text: notice.text,
        sluice: { event: notice.event, runId: notice.runId, nodeId: notice.nodeId, at: notice.at },
      },
    );
  }
}

/**
 * Posts a Slack-compatible message (`{ text, sluice: {...} }`) to the workspace's notification
 * webhook, if it has one: one try, 5 s, no redirects. Resolves with whether it was delivered; a
 * failure is logged with the URL masked, never thrown.
 */
export async function postToWorkspaceWebhook(
  options: { prisma: Database['prisma']; fetch?: typeof globalThis.fetch; log?: Pick<EngineLogger, 'warn'> },
  workspaceId: string,
  message: { text: string; sluice: Record<string, unknown> },
): Promise<boolean> {
  const workspace = await options.prisma.workspace.findUnique({
    where: { id: workspaceId },
    select: { notificationWebhookUrl: true },
  });
  const url = workspace?.notificationWebhookUrl;
  if (!url) return false;
  try {
    const response = await (options.fetch ?? globalThis.fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      redirect: 'error',
      signal: AbortSignal.timeout(5_000),
    });
    await response.body?.cancel();
    if (!response.ok)
      options.log?.warn(`notification webhook of ${maskWebhookUrl(url)} answered ${response.status}`);
    return response.ok;
  } catch (error) {
    options.log?.warn(
      `notification webhook of ${maskWebhookUrl(url)} failed: ${error instanceof Error ? error.name : 'error'}`,
    );
    return false;
  }
}
