// Replay protection for webhook triggers: a delivery (its workflow, timestamp and signature) is
// remembered until its replay window closes, in the database so every server process shares it.
import { createHash } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client';

/** How often a process forgets deliveries whose window closed (a sweep per delivery cost a statement). */
const SWEEP_EVERY_MS = 60_000;
const lastSweep = new WeakMap<PrismaClient, number>();

/**
 * Records a delivery in one statement; false when the same one was seen before (a replay).
 * Deliveries whose window has closed are forgotten at most once a minute per process (the timestamp
 * check refuses those anyway; keeping them a little longer only costs rows).
 *
 * @example
 * if (!(await rememberWebhookDelivery(prisma, { workflowId, timestamp, signature, expiresAt }))) return 409;
 */
export async function rememberWebhookDelivery(
  prisma: PrismaClient,
  delivery: { workflowId: string; timestamp: string; signature: string; expiresAt: Date },
  options: { sweepEveryMs?: number } = {},
): Promise<boolean> {
  const id = createHash('sha256')
    .update(JSON.stringify([delivery.workflowId, delivery.timestamp, delivery.signature]))
    .digest('hex');
  const now = Date.now();
  if (now - (lastSweep.get(prisma) ?? 0) >= (options.sweepEveryMs ?? SWEEP_EVERY_MS)) {
    lastSweep.set(prisma, now);
    await prisma.webhookDelivery.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
  }
  const { count } = await prisma.webhookDelivery.createMany({
    data: [{ id, workflowId: delivery.workflowId, expiresAt: delivery.expiresAt }],
    skipDuplicates: true,
  });
  return count === 1;
}
