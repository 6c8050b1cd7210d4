// Sign-in throttling, per client address and per email, counted in PostgreSQL before any password
// is checked. Client addresses come from the socket: `app.request` is given one per call.
import { asDatabase, createWorkspaceFixture, type WorkspaceFixture } from '@sluice/api/testing';
import { test } from '@sluice/db/testing';
import type { Hono } from 'hono';
import { describe, expect } from 'vitest';
import { testApp } from './test-support';

const PASSWORD = 'correct horse battery staple';

function signInFrom(app: Hono, address: string, email: string, password: string) {
  return app.request(
    '/api/auth/sign-in/email',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
      body: JSON.stringify({ email, password }),
    },
    { incoming: { socket: { remoteAddress: address, remotePort: 40000, remoteFamily: 'IPv4' } } },
  );
}

describe('sign-in throttling', () => {
  let acme: WorkspaceFixture;
  test.beforeAll(async ({ db }) => {
    acme = await createWorkspaceFixture(db, { slug: 'acme', password: PASSWORD });
  });

  test('per client address: the fourth attempt in the window is refused, other addresses are not', async ({
    db,
  }) => {
    const app = testApp(asDatabase(db), {
      throttle: { perIp: { window: 60, max: 3 }, perEmail: { window: 60, max: 100 } },
    });
    const emails = ['owner', 'editor', 'operator', 'reviewer'].map((local) => `${local}@acme.test`);
    const statuses = [];
    for (const email of emails)
      statuses.push((await signInFrom(app, '198.51.100.1', email, 'wrong password!')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Even the right password is refused from there until the window ends…
    expect((await signInFrom(app, '198.51.100.1', acme.users.owner.email, PASSWORD)).status).toBe(429);
    // …while another address signs in normally.
    expect((await signInFrom(app, '198.51.100.2', acme.users.owner.email, PASSWORD)).status).toBe(200);
  });

  test('per email: attempts from many addresses against one account are limited', async ({ db }) => {
    const app = testApp(asDatabase(db), {
      throttle: { perIp: { window: 60, max: 100 }, perEmail: { window: 60, max: 3 } },
    });
    const email = acme.users.auditor.email;
    const statuses = [];
    for (let i = 1; i <= 4; i++)
      statuses.push((await signInFrom(app, `203.0.113.${i}`, email, 'wrong password!')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const refused = await signInFrom(app, '203.0.113.50', ` ${email.toUpperCase()} `, PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account from the same addresses is unaffected.
    expect((await signInFrom(app, '203.0.113.1', acme.users.reviewer.email, PASSWORD)).status).toBe(200);
  });

  test('the counters live in the database, shared by every server process', async ({ db }) => {
    const limits = { perIp: { window: 60, max: 2 }, perEmail: { window: 60, max: 100 } };
    const first = testApp(asDatabase(db), { throttle: limits });
    const second = testApp(asDatabase(db), { throttle: limits });
    expect((await signInFrom(first, '192.0.2.7', acme.users.editor.email, 'wrong password!')).status).toBe(
      401,
    );
    expect((await signInFrom(second, '192.0.2.7', acme.users.editor.email, 'wrong password!')).status).toBe(
      401,
    );
    expect((await signInFrom(first, '192.0.2.7', acme.users.editor.email, PASSWORD)).status).toBe(429);
    expect(await db.prisma.rateLimit.count({ where: { key: { contains: '192.0.2.7' } } })).toBe(1);
  });
});
