import { describe, expect } from 'vitest';
import { test } from '../testing';
import { rememberWebhookDelivery } from './webhook-deliveries';

describe('rememberWebhookDelivery', () => {
  test('accepts a delivery once, for its workflow; forgets deliveries whose window closed', async ({
    db,
  }) => {
    const later = new Date(Date.now() + 60_000);
    const delivery = { workflowId: 'wf', timestamp: '1700000000', signature: 'sha256=ab', expiresAt: later };
    expect(await rememberWebhookDelivery(db.prisma, delivery)).toBe(true);
    expect(await rememberWebhookDelivery(db.prisma, delivery)).toBe(false);
    expect(await rememberWebhookDelivery(db.prisma, { ...delivery, workflowId: 'other' })).toBe(true);
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () =>
        rememberWebhookDelivery(db.prisma, { ...delivery, signature: 'sha256=cd' }),
      ),
    );
    expect(concurrent.filter(Boolean)).toHaveLength(1);
    await rememberWebhookDelivery(db.prisma, { ...delivery, signature: 'old', expiresAt: new Date(0) });
    const expired = { where: { expiresAt: { lt: new Date() } } };
    // Swept at most once a minute: the next delivery does not look for expired ones again…
    await rememberWebhookDelivery(db.prisma, { ...delivery, signature: 'next' });
    expect(await db.prisma.webhookDelivery.count(expired)).toBe(1);
    // …until the sweep is due.
    await rememberWebhookDelivery(db.prisma, { ...delivery, signature: 'last' }, { sweepEveryMs: 0 });
    expect(await db.prisma.webhookDelivery.count(expired)).toBe(0);
  });
});
