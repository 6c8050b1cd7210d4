// What the vault writes to the workspace's audit chain: credential use and refusals (with an
// alert, recorded in the chain as `alert.raised`, the same shape packages/api writes). Never a value.
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { toJsonInput } from '../json';
import { appendWorkspaceEvents } from '../workspace-events';

/** Records a refusal: a `credential.refused` event and a critical `credential.refused` alert. */
export async function recordRefusal(
  prisma: PrismaClient,
  workspaceId: string,
  details: Record<string, unknown> & { reason: string; name: string },
  context: { runId?: string; nodeId?: string },
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await appendWorkspaceEvents(tx, workspaceId, [{ type: 'credential.refused', payload: details }]);
    await raiseVaultAlert(tx, workspaceId, {
      message: `Credential "${details.name}" was refused: ${details.reason}.`,
      details,
      ...context,
    });
  });
}

async function raiseVaultAlert(
  tx: Prisma.TransactionClient,
  workspaceId: string,
  alert: { message: string; details: Record<string, unknown>; runId?: string; nodeId?: string },
): Promise<void> {
  const kind = 'credential.refused';
  const severity = 'critical';
  const row = await tx.alert.create({
    data: {
      workspaceId,
      kind,
      severity,
      message: alert.message,
      details: toJsonInput(alert.details),
      runId: alert.runId ?? null,
      nodeId: alert.nodeId ?? null,
    },
    select: { id: true },
  });
  await appendWorkspaceEvents(tx, workspaceId, [
    { type: 'alert.raised', payload: { alertId: row.id, kind, severity, message: alert.message } },
  ]);
}
