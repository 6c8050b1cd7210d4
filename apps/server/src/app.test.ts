import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { asDatabase, createWorkspaceFixture } from '@sluice/api/testing';
import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './security-headers';
import { testApp } from './test-support';

async function builtWebDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-web-'));
  await fs.mkdir(path.join(dir, 'assets'));
  await fs.writeFile(
    path.join(dir, 'index.html'),
    '<!doctype html><title>Sluice</title><div id="root"></div>',
  );
  await fs.writeFile(path.join(dir, 'assets', 'app.js'), 'console.log("app")');
  return dir;
}

describe('the HTTP surface', () => {
  test('/healthz reports the database as reachable', async ({ db }) => {
    const app = testApp(asDatabase(db));
    const response = await app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, version: 'test', database: { ok: true } });
  });

  test('/healthz answers 503 when the database is unreachable', async ({ db }) => {
    const { createPrismaClient } = await import('@sluice/db');
    const unreachable = createPrismaClient('postgresql://nobody:nothing@127.0.0.1:1/none');
    const app = testApp(asDatabase({ url: db.url, prisma: unreachable }));
    const response = await app.request('/healthz');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ ok: false, database: { ok: false } });
    await unreachable.$disconnect();
  });

  test('every response carries the security headers', async ({ db }) => {
    const app = testApp(asDatabase(db), { webDir: await builtWebDir() });
    for (const url of ['/', '/healthz', '/assets/app.js', '/trpc/nothing.here', '/workflows/abc']) {
      const response = await app.request(url);
      expect(response.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(response.headers.get('x-frame-options'), url).toBe('DENY');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  test('the web app: assets, and the shell for client routes, but never for API paths', async ({ db }) => {
    const app = testApp(asDatabase(db), { webDir: await builtWebDir() });
    expect(await (await app.request('/assets/app.js')).text()).toContain('console.log');
    const shell = await app.request('/workflows/123');
    expect(shell.status).toBe(200);
    expect(await shell.text()).toContain('<div id="root">');
    for (const url of ['/api/nothing', '/hooks', '/TRPC/x']) {
      expect((await app.request(url)).status, url).toBe(404);
    }
    expect((await app.request('/assets/missing.js')).status).toBe(404);
  });

  test('without a built web app the root says how to build it', async ({ db }) => {
    const app = testApp(asDatabase(db), { webDir: '/nonexistent' });
    const response = await app.request('/');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
  });

  test('tRPC without credentials: 401, and the API never falls through to the web app', async ({ db }) => {
    const app = testApp(asDatabase(db), { webDir: await builtWebDir() });
    const response = await app.request('/trpc/workflow.list');
    expect(response.status).toBe(401);
    expect(JSON.stringify(await response.json())).toContain('UNAUTHORIZED');
  });

  test('tRPC: bad input is a 400 naming the field, never a stack trace', async ({ db }) => {
    const acme = await createWorkspaceFixture(db, { slug: 'acme' });
    const app = testApp(asDatabase(db));
    const response = await app.request(
      `/trpc/workflow.get?input=${encodeURIComponent(JSON.stringify({ id: 7 }))}`,
      { headers: { authorization: `Bearer ${acme.token.secret}` } },
    );
    expect(response.status).toBe(400);
    const body = JSON.stringify(await response.json());
    expect(body).toContain('"path":"id"');
    expect(body).not.toContain('stack');
    expect(body).not.toMatch(/\.ts:\d+/);

    const unknown = await app.request(
      `/trpc/workflow.get?input=${encodeURIComponent(JSON.stringify({ id: 'nope' }))}`,
      { headers: { authorization: `Bearer ${acme.token.secret}` } },
    );
    expect(unknown.status).toBe(404);
  });

  test('request bodies are limited', async ({ db }) => {
    const app = testApp(asDatabase(db));
    const response = await app.request('/trpc/workflow.import', {
      method: 'POST',
      headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' },
      body: 'x'.repeat(5 * 1024 * 1024),
    });
    expect(response.status).toBe(413);
  });
});
