// Writing the workspace's audit chain and its alerts: who did what, when, from where. Changes are
// recorded in the same transaction as the change itself; refusals in a transaction of their own,
// committed before the refusal is answered.
import { type AlertSeverity, appendWorkspaceEvents, type Prisma, toJsonInput } from '@sluice/db';
import type { Actor, Context } from './context';

type Tx = Prisma.TransactionClient;

/** How an actor appears in an event payload. */
export function actorRef(actor: Actor): { type: Actor['type']; id: string; name: string; email?: string } {
  return actor.type === 'user'
    ? { type: 'user', id: actor.id, name: actor.name, email: actor.email }
    : { type: 'token', id: actor.id, name: actor.name };
}

export interface AuditDraft {
  type: string;
  payload: Record<string, unknown>;
}

/**
 * Appends events by `actor` to its workspace's chain inside `tx`. Every payload carries the actor and,
 * when known, the client address.
 *
 * @example
 * await ctx.db.prisma.$transaction(async (tx) => {
 *   await tx.workflow.update(...);
 *   await audit(tx, ctx, [{ type: 'workflow.draft_saved', payload: { workflowId } }]);
 * });
 */
export async function audit(
  tx: Tx,
  ctx: Pick<Context, 'client'> & { actor: Actor },
  drafts: readonly AuditDraft[],
): Promise<void> {
  const by = actorRef(ctx.actor);
  await appendWorkspaceEvents(
    tx,
    ctx.actor.workspaceId,
    drafts.map((draft) => ({
      type: draft.type,
      payload: { ...draft.payload, actor: by, ...(ctx.client.ip ? { clientIp: ctx.client.ip } : {}) },
      actorId: ctx.actor.id,
    })),
  );
}

export interface AlertDraft {
  kind: string;
  severity: AlertSeverity;
  message: string;
  details?: Record<string, unknown>;
  runId?: string;
  nodeId?: string;
}

/**
 * Raises an alert in `workspaceId` and records it in the workspace chain (`alert.raised`).
 *
 * @example
 * await raiseAlert(tx, workspaceId, { kind: 'token.out_of_scope', severity: 'warning', message }, tokenId);
 */
export async function raiseAlert(
  tx: Tx,
  workspaceId: string,
  alert: AlertDraft,
  actorId: string | null,
): Promise<string> {
  const row = await tx.alert.create({
    data: {
      workspaceId,
      kind: alert.kind,
      severity: alert.severity,
      message: alert.message,
      ...(alert.details ? { details: toJsonInput(alert.details) } : {}),
      runId: alert.runId ?? null,
      nodeId: alert.nodeId ?? null,
    },
    select: { id: true },
  });
  await appendWorkspaceEvents(tx, workspaceId, [
    {
      type: 'alert.raised',
      payload: { alertId: row.id, kind: alert.kind, severity: alert.severity, message: alert.message },
      actorId,
    },
  ]);
  return row.id;
}

/** A bearer token that may no longer be used was presented: one event and one alert. */
export async function recordTokenRefused(
  ctx: Context,
  refused: { tokenId: string; workspaceId: string; reason: 'expired' | 'revoked' },
  path: string,
): Promise<void> {
  await ctx.db.prisma.$transaction(async (tx) => {
    await appendWorkspaceEvents(tx, refused.workspaceId, [
      {
        type: 'token.refused',
        payload: { tokenId: refused.tokenId, reason: refused.reason, path, clientIp: ctx.client.ip },
        actorId: refused.tokenId,
      },
    ]);
    await raiseAlert(
      tx,
      refused.workspaceId,
      {
        kind: 'token.refused',
        severity: 'warning',
        message: `A ${refused.reason} API token was used (${path}).`,
        details: { tokenId: refused.tokenId, reason: refused.reason, path, clientIp: ctx.client.ip },
      },
      refused.tokenId,
    );
  });
}

/** A token asked for something outside its scope: one event and one alert. */
export async function recordTokenOutOfScope(
  ctx: Context,
  actor: Extract<Actor, { type: 'token' }>,
  path: string,
  attempted: { permission: string; workflowId?: string },
): Promise<void> {
  await ctx.db.prisma.$transaction(async (tx) => {
    await audit(tx, { ...ctx, actor }, [
      { type: 'token.out_of_scope', payload: { tokenId: actor.id, path, ...attempted } },
    ]);
    const what = attempted.workflowId ? `workflow ${attempted.workflowId}` : `"${attempted.permission}"`;
    await raiseAlert(
      tx,
      actor.workspaceId,
      {
        kind: 'token.out_of_scope',
        severity: 'warning',
        message: `API token "${actor.name}" tried ${path}, which needs ${what} outside its scope.`,
        details: { tokenId: actor.id, path, ...attempted, clientIp: ctx.client.ip },
      },
      actor.id,
    );
  });
}

/** Every call a token makes is recorded, and its last use kept on the token. */
export async function recordTokenUse(
  ctx: Context,
  actor: Extract<Actor, { type: 'token' }>,
  path: string,
  permission: string,
): Promise<void> {
  await ctx.db.prisma.$transaction(async (tx) => {
    await tx.apiToken.update({ where: { id: actor.id }, data: { lastUsedAt: new Date() } });
    await audit(tx, { ...ctx, actor }, [
      { type: 'token.used', payload: { tokenId: actor.id, path, permission } },
    ]);
  });
}
