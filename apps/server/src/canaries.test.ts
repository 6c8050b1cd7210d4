// Canaries through the whole product: a credential created through the API with a canary secret, and
// a run whose restricted input carries a canary value, end to end on the real engine, vault, sealer
// and HTTP. Afterwards, what a database dump would hold (every row of every table) contains neither
// canary; no API response, event, export or log line contains the secret; the restricted value is
// readable through the API only by a role allowed to read restricted data, and only because the
// server opens it for them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asDatabase, createWorkspaceFixture, testMasterKey, testVault } from '@sluice/api/testing';
import { createDataSealer, openPgStore, type PgStore } from '@sluice/db';
import { type TestDatabase, test } from '@sluice/db/testing';
import { createEngine, type Engine } from '@sluice/engine';
import { type NodeConfigInputs, registry } from '@sluice/nodes';
import { serverExecutors } from '@sluice/nodes/server';
import { specToGraph, workflow } from '@sluice/spec';
import { describe, expect } from 'vitest';
import { listenOnLoopback, signIn, testApp } from './test-support';

const SECRET = 'sk-CANARY-secret-5d1e0c7b9a';
// A well-formed US SSN: the validator on the external path redacts it.
const RESTRICTED = '536-22-8714';
const PASSWORD = 'correct horse battery staple';

async function dumpAll(db: TestDatabase): Promise<string> {
  const tables = await db.prisma.$queryRawUnsafe<{ tablename: string }[]>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
  );
  const rows: string[] = [];
  for (const { tablename } of tables) {
    const found = await db.prisma.$queryRawUnsafe<{ row: string }[]>(
      `SELECT row_to_json(t)::text AS row FROM "${tablename}" t`,
    );
    rows.push(...found.map((r) => r.row));
  }
  return rows.join('\n');
}

/** A loopback API the http step calls; it records the Authorization header it was sent. */
async function startTarget(): Promise<{ host: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(String(req.headers.authorization ?? ''));
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"stored":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { host: `127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(() => r())) };
}

describe('canaries', () => {
  test('no secret and no restricted value at rest; the secret in no response, event, export or log', async ({
    db,
  }) => {
    const acme = await createWorkspaceFixture(db, { slug: 'acme', password: PASSWORD });
    const target = await startTarget();
    const logs: string[] = [];
    const log = {
      debug: (m: string) => logs.push(m),
      info: (m: string) => logs.push(m),
      warn: (m: string) => logs.push(m),
      error: (m: string) => logs.push(m),
    };
    const sealer = createDataSealer({ prisma: db.prisma, masterKey: testMasterKey });
    const vault = testVault(db);
    let store: PgStore | undefined;
    let engine: Engine | undefined;
    const server = await (async () => {
      store = await openPgStore({ url: db.url, sealer });
      engine = createEngine({
        store,
        executors: serverExecutors,
        vault,
        log,
        workers: { concurrency: 4, leaseMs: 5_000, pollMs: 100 },
      });
      await engine.start();
      const services = { engine, vault, sealer };
      return listenOnLoopback((publicUrl) => testApp(asDatabase(db), { publicUrl, services }));
    })();
    try {
      const spec = workflow<NodeConfigInputs>('canary')
        .owner('tests')
        .access({ trigger: ['operator'], operate: ['operator'], approve: ['reviewer'], audit: ['auditor'] })
        .trigger(
          { type: 'manual', input: { type: 'object', properties: { ssn: { type: 'string' } } } },
          { classification: 'restricted' },
        )
        .transform('keep', { mapping: { ssn: 'input.ssn' } })
        .output('done', {})
        .validator('scrub', { detectors: ['ssn'], onFailure: 'redact', guarantees: 'public' }, {
          after: ['trigger'],
        } as never)
        .http('notify', {
          method: 'POST',
          url: `http://${target.host}/notify`,
          allowHosts: [target.host],
          credential: 'canary-key',
        })
        .output('sent', {})
        .build(registry);
      const wf = await db.prisma.workflow.create({
        data: {
          workspaceId: acme.workspaceId,
          name: 'canary',
          ownerTeam: 'tests',
          draftGraph: {},
          createdById: acme.users.owner.id,
        },
      });
      const version = await db.prisma.workflowVersion.create({
        data: {
          workflowId: wf.id,
          version: 1,
          spec: JSON.parse(JSON.stringify(spec)),
          graph: JSON.parse(JSON.stringify(specToGraph(spec))),
          hash: 'c'.repeat(64),
          publishedById: acme.users.owner.id,
        },
      });

      const owner = await signIn(server, acme.users.owner.email, PASSWORD);
      const responses: string[] = [];
      const call = async (cookie: string, path: string, input: unknown, method: 'GET' | 'POST') => {
        const url =
          method === 'GET'
            ? `${server.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`
            : `${server.url}/trpc/${path}`;
        const response = await fetch(url, {
          method,
          headers: { cookie, origin: server.url, 'content-type': 'application/json' },
          ...(method === 'POST' ? { body: JSON.stringify(input) } : {}),
        });
        const text = await response.text();
        responses.push(text);
        if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
        return JSON.parse(text) as { result: { data: unknown } };
      };

      await call(
        owner,
        'credential.create',
        {
          name: 'canary-key',
          value: SECRET,
          bindings: [{ workflowId: wf.id, nodeIds: ['notify'] }],
        },
        'POST',
      );
      const started = await engine!.startRun({
        workflowVersionId: version.id,
        input: { ssn: RESTRICTED },
        initiatedById: acme.users.operator.id,
      });
      const done = await engine!.waitForRun(started.runId, { timeoutMs: 20_000 });
      expect(done.status).toBe('succeeded');
      expect(target.seen).toEqual([`Bearer ${SECRET}`]);

      // At rest: neither canary anywhere.
      const dump = await dumpAll(db);
      expect(dump).not.toContain(SECRET);
      expect(dump).not.toContain(RESTRICTED);

      // Through the API: the owner may read restricted data, opened for them; an operator may not.
      const ownerStep = await call(owner, 'run.step', { runId: started.runId, nodeId: 'keep' }, 'GET');
      expect(JSON.stringify(ownerStep)).toContain(RESTRICTED);
      const operator = await signIn(server, acme.users.operator.email, PASSWORD);
      const operatorView = [
        await call(operator, 'run.get', { id: started.runId }, 'GET'),
        await call(operator, 'run.step', { runId: started.runId, nodeId: 'keep' }, 'GET'),
        await call(operator, 'run.step', { runId: started.runId, nodeId: 'trigger' }, 'GET'),
      ];
      expect(JSON.stringify(operatorView)).not.toContain(RESTRICTED);

      // The secret: in no response, no export, no log line.
      for (const nodeId of ['trigger', 'keep', 'done', 'notify']) {
        await call(owner, 'run.step', { runId: started.runId, nodeId }, 'GET');
      }
      await call(owner, 'run.get', { id: started.runId }, 'GET');
      await call(owner, 'credential.list', undefined, 'GET');
      await call(owner, 'audit.export', { runId: started.runId }, 'GET');
      await call(owner, 'audit.export', {}, 'GET');
      for (const text of [...responses, ...logs]) expect(text).not.toContain(SECRET);
    } finally {
      await server.close();
      await engine?.stop({ graceMs: 1_000 });
      await store?.close();
      await target.close();
    }
  });
});
