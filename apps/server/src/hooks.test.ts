import { openPgStore } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { createEngine } from '@sluice/engine';
import { type NodeConfigInputs, registry } from '@sluice/nodes';
import { serverExecutors } from '@sluice/nodes/server';
import { workflow } from '@sluice/spec';
import { Hono } from 'hono';
import { describe, expect } from 'vitest';
import { hmacSha256Verifier, signWebhookBody, webhookRoutes } from './hooks';

const secret = 'test-hook-secret';

function hook(respond: 'result' | 'accepted') {
  return workflow<NodeConfigInputs>(`hook-${respond}`)
    .owner('tests')
    .trigger({
      type: 'webhook',
      secret: 'hook-secret',
      respond,
      input: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
    })
    .transform('inc', { mapping: { n: 'input.n + 1' } })
    .output('done', {})
    .build(registry);
}

describe('webhook trigger route', () => {
  test('starts a run of the newest version and answers per `respond`, after the signature checks out', async ({
    db,
  }) => {
    const user = await db.prisma.user.create({ data: { email: 'hooks@example.test', name: 'H' } });
    const workspace = await db.prisma.workspace.create({ data: { name: 'H', slug: 'hooks' } });
    const ids: Record<string, string> = {};
    for (const respond of ['result', 'accepted'] as const) {
      const wf = await db.prisma.workflow.create({
        data: {
          workspaceId: workspace.id,
          name: respond,
          ownerTeam: 't',
          draftGraph: {},
          createdById: user.id,
        },
      });
      await db.prisma.workflowVersion.create({
        data: {
          workflowId: wf.id,
          version: 1,
          spec: JSON.parse(JSON.stringify(hook(respond))),
          graph: {},
          hash: 'a'.repeat(64),
          publishedById: user.id,
        },
      });
      ids[respond] = wf.id;
    }
    const store = await openPgStore({ url: db.url });
    const engine = createEngine({ store, executors: serverExecutors });
    await engine.start();
    const app = new Hono();
    app.route('/hooks', webhookRoutes({ engine, verifyWebhook: hmacSha256Verifier(() => secret) }));
    const post = (id: string | undefined, body: string, headers: Record<string, string> = {}) =>
      app.request(`/hooks/${id}`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-sluice-signature': signWebhookBody(secret, body),
          ...headers,
        },
      });
    try {
      const ok = await post(ids.result, '{"n":41}');
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ n: 42 });
      expect(ok.headers.get('sluice-run-id')).toMatch(/^[0-9a-f-]{36}$/);

      const accepted = await post(ids.accepted, '{"n":1}');
      expect(accepted.status).toBe(202);
      expect(await accepted.json()).toMatchObject({ runId: expect.any(String), status: 'succeeded' });

      const forged = await post(ids.result, '{"n":41}', {
        'x-sluice-signature': signWebhookBody('wrong', '{"n":41}'),
      });
      expect(forged.status).toBe(401);
      expect((await post(ids.result, 'not json')).status).toBe(400);
      const invalid = await post(ids.result, '{"n":"x"}');
      expect(invalid.status).toBe(422);
      expect(await invalid.json()).toMatchObject({
        error: { code: 'INPUT_INVALID', issues: [expect.any(String)] },
      });
      expect((await post('no-such-workflow', '{"n":1}')).status).toBe(404);

      const first = await post(ids.result, '{"n":1}', { 'idempotency-key': 'order-7' });
      const again = await post(ids.result, '{"n":1}', { 'idempotency-key': 'order-7' });
      expect(again.headers.get('sluice-run-id')).toBe(first.headers.get('sluice-run-id'));
    } finally {
      await engine.stop();
      await store.close();
    }
  });
});
