// Webhook triggers through real HTTP: `sluice start`'s wiring (vault-held HMAC secret, replay window,
// remembered deliveries, body limit) on a loopback port.
import { asDatabase } from '@sluice/api/testing';
import { createCredentialVault, openPgStore } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { createEngine, type Engine } from '@sluice/engine';
import { type NodeConfigInputs, registry } from '@sluice/nodes';
import { serverExecutors } from '@sluice/nodes/server';
import { workflow } from '@sluice/spec';
import { describe, expect } from 'vitest';
import { signWebhookBody } from './hooks';
import { listenOnLoopback, type LoopbackServer, testApp } from './test-support';
import { vaultWebhookVerifier } from './webhook-verifier';

const secret = `hook-secret-${Math.random().toString(36).slice(2)}`;
const masterKey = Buffer.alloc(32, 3);

function hook(respond: 'result' | 'accepted', credential = 'hook-secret') {
  return workflow<NodeConfigInputs>(`hook-${respond}`)
    .owner('tests')
    .trigger({
      type: 'webhook',
      secret: credential,
      respond,
      input: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
    })
    .transform('inc', { mapping: { n: 'input.n + 1' } })
    .output('done', {})
    .build(registry);
}

describe('webhook triggers over HTTP', () => {
  test('signed, fresh, first-seen deliveries start runs; everything else is refused', async ({ db }) => {
    const user = await db.prisma.user.create({ data: { email: 'hooks@example.test', name: 'H' } });
    const workspace = await db.prisma.workspace.create({ data: { name: 'H', slug: 'hooks' } });
    const ids: Record<string, string> = {};
    const specs = {
      result: hook('result'),
      accepted: hook('accepted'),
      unbound: hook('result', 'not-bound'),
    };
    for (const [name, spec] of Object.entries(specs)) {
      const wf = await db.prisma.workflow.create({
        data: { workspaceId: workspace.id, name, ownerTeam: 't', draftGraph: {}, createdById: user.id },
      });
      await db.prisma.workflowVersion.create({
        data: {
          workflowId: wf.id,
          version: 1,
          spec: JSON.parse(JSON.stringify(spec)),
          graph: {},
          hash: 'a'.repeat(64),
          publishedById: user.id,
        },
      });
      ids[name] = wf.id;
    }
    const vault = createCredentialVault({ prisma: db.prisma, masterKey });
    await vault.create(db.prisma, {
      workspaceId: workspace.id,
      name: 'hook-secret',
      value: secret,
      bindings: [
        { workflowId: ids.result ?? '', nodeIds: [] },
        { workflowId: ids.accepted ?? '', nodeIds: [] },
      ],
      createdById: user.id,
    });
    await vault.create(db.prisma, {
      workspaceId: workspace.id,
      name: 'not-bound',
      value: secret,
      bindings: [],
      createdById: user.id,
    });
    const store = await openPgStore({ url: db.url });
    const engine: Engine = createEngine({ store, executors: serverExecutors, vault });
    await engine.start();
    let server: LoopbackServer | undefined;
    try {
      server = await listenOnLoopback((publicUrl) =>
        testApp(asDatabase(db), {
          publicUrl,
          services: { engine, vault },
          webhooks: { engine, verifyWebhook: vaultWebhookVerifier({ db, vault }), maxBodyBytes: 4096 },
        }),
      );
      const base = server.url;
      const now = () => Math.floor(Date.now() / 1000);
      const post = (id: string | undefined, body: string, headers: Record<string, string>) =>
        fetch(`${base}/hooks/${id}`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', ...headers },
        });
      const used = () =>
        db.prisma.event.count({ where: { workspaceId: workspace.id, type: 'credential.used' } });

      const signed = signWebhookBody(secret, '{"n":41}');
      const ok = await post(ids.result, '{"n":41}', signed);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ n: 42 });
      expect(ok.headers.get('sluice-run-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(await used()).toBe(1);

      // The same delivery again: a replay, even within the window.
      const replay = await post(ids.result, '{"n":41}', signed);
      expect(replay.status).toBe(401);
      expect(await replay.json()).toMatchObject({ error: { message: expect.stringContaining('replay') } });

      const accepted = await post(ids.accepted, '{"n":1}', signWebhookBody(secret, '{"n":1}'));
      expect(accepted.status).toBe(202);
      expect(await accepted.json()).toMatchObject({ runId: expect.any(String) });

      const refusals: Array<[string, Record<string, string>, string]> = [
        ['stale', signWebhookBody(secret, '{"n":1}', now() - 6 * 60), 'replay window'],
        ['from the future', signWebhookBody(secret, '{"n":1}', now() + 6 * 60), 'replay window'],
        ['forged', signWebhookBody('wrong', '{"n":1}'), 'does not verify'],
        ['unsigned', {}, 'x-sluice-timestamp'],
        ['no signature', { 'x-sluice-timestamp': String(now()) }, 'x-sluice-signature'],
        [
          'signed over the body only',
          { 'x-sluice-timestamp': String(now()), 'x-sluice-signature': `sha256=${'0'.repeat(64)}` },
          'does not verify',
        ],
      ];
      const before = await used();
      for (const [what, headers, message] of refusals) {
        const response = await post(ids.result, '{"n":1}', headers);
        expect(response.status, what).toBe(401);
        expect(await response.json(), what).toMatchObject({
          error: { message: expect.stringContaining(message) },
        });
      }
      // A body signed for another timestamp does not verify either.
      const moved = signWebhookBody(secret, '{"n":1}', now() - 10);
      const retimed = await post(ids.result, '{"n":1}', { ...moved, 'x-sluice-timestamp': String(now()) });
      expect(retimed.status).toBe(401);
      expect(await used()).toBe(before);

      const big = JSON.stringify({ n: 1, pad: 'x'.repeat(5000) });
      expect((await post(ids.result, big, signWebhookBody(secret, big))).status).toBe(413);
      expect((await post(ids.result, 'not json', signWebhookBody(secret, 'not json'))).status).toBe(400);
      const invalid = await post(ids.result, '{"n":"x"}', signWebhookBody(secret, '{"n":"x"}'));
      expect(invalid.status).toBe(422);
      expect((await post('no-such-workflow', '{"n":1}', signWebhookBody(secret, '{"n":1}'))).status).toBe(
        404,
      );

      // A retry is a new delivery (new timestamp); the idempotency key keeps it one run.
      const first = await post(ids.result, '{"n":1}', {
        ...signWebhookBody(secret, '{"n":1}', now() - 1),
        'idempotency-key': 'order-7',
      });
      const again = await post(ids.result, '{"n":1}', {
        ...signWebhookBody(secret, '{"n":1}', now()),
        'idempotency-key': 'order-7',
      });
      expect(first.status).toBe(200);
      expect(again.headers.get('sluice-run-id')).toBe(first.headers.get('sluice-run-id'));

      // A trigger naming a credential not bound to its workflow: refused, audited and alerted.
      const unbound = await post(ids.unbound, '{"n":1}', signWebhookBody(secret, '{"n":1}'));
      expect(unbound.status).toBe(401);
      const alert = await db.prisma.alert.findFirstOrThrow({
        where: { workspaceId: workspace.id, kind: 'credential.refused' },
      });
      expect(alert.details).toMatchObject({ name: 'not-bound', workflowId: ids.unbound });
      const events = await db.prisma.event.findMany({ where: { workspaceId: workspace.id } });
      expect(JSON.stringify(events.map((e) => e.payload))).not.toContain(secret);
    } finally {
      await server?.close();
      await engine.stop();
      await store.close();
    }
  });
});
