// Replay protection for webhook triggers: a delivery (its workflow, timestamp and signature) is
// remembered until its replay window closes, in the database so every server process shares it.
import { createHash } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client';

/**
 * Records a delivery; false when the same one was seen before (a replay). Deliveries whose window
 * has closed are forgotten on the way (the timestamp check refuses those anyway).
 *
 * @example
 * if (!(await rememberWebhookDelivery(prisma, { workflowId, timestamp, signature, expiresAt }))) return 409;
 */
export async function rememberWebhookDelivery(
  prisma: PrismaClient,
  delivery: { workflowId: string; timestamp: string; signature: string; expiresAt: Date },
): Promise<boolean> {
  const id = createHash('sha256')
    .update(JSON.stringify([delivery.workflowId, delivery.timestamp, delivery.signature]))
    .digest('hex');
  await prisma.webhookDelivery.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  const { count } = await prisma.webhookDelivery.createMany({
    data: [{ id, workflowId: delivery.workflowId, expiresAt: delivery.expiresAt }],
    skipDuplicates: true,
  });
  return count === 1;
}
