import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { createWorkspaceFixture } from '../testing';
import { alertWebhookNotifier } from './alert-notifier';

describe('alerts to the workspace webhook', () => {
  test('a raised and a resolved alert are posted as Slack-compatible messages; no URL, no post', async ({
    db,
  }) => {
    const received: { text: string; sluice: Record<string, unknown> }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const acme = await createWorkspaceFixture(db, { slug: 'acme' });
      const quiet = await createWorkspaceFixture(db, { slug: 'quiet' });
      const { port } = server.address() as AddressInfo;
      await db.prisma.workspace.update({
        where: { id: acme.workspaceId },
        data: { notificationWebhookUrl: `http://127.0.0.1:${port}/hook` },
      });
      const notify = alertWebhookNotifier({ prisma: db.prisma });
      const alert = {
        workspaceId: acme.workspaceId,
        dedupeKey: 'stall.lease:r1:n1:1',
        kind: 'stall.lease',
        severity: 'warning' as const,
        message: 'step "n1" stopped renewing its lease',
        runId: 'r1',
        nodeId: 'n1',
      };
      const at = new Date('2026-11-26T02:00:00Z');
      await notify({ change: 'raised', alertId: 'a1', alert, at });
      await notify({ change: 'resolved', alertId: 'a1', alert, at });
      await notify({
        change: 'raised',
        alertId: 'a2',
        alert: { ...alert, workspaceId: quiet.workspaceId },
        at,
      });
      expect(received).toEqual([
        {
          text: 'Sluice alert, warning: step "n1" stopped renewing its lease (run r1, step n1)',
          sluice: expect.objectContaining({ event: 'alert.raised', alertId: 'a1', kind: 'stall.lease' }),
        },
        {
          text: 'Sluice alert resolved: step "n1" stopped renewing its lease (run r1, step n1)',
          sluice: expect.objectContaining({ event: 'alert.resolved', alertId: 'a1' }),
        },
      ]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
