// Sign-in, the session cookie, CSRF and sign-out, through real HTTP on a loopback port.
import { asDatabase, createWorkspaceFixture, type WorkspaceFixture } from '@sluice/api/testing';
import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { cookieHeader, listenOnLoopback, type LoopbackServer, signIn, testApp } from './test-support';

const PASSWORD = 'correct horse battery staple';

describe('signing in over HTTP', () => {
  let server: LoopbackServer;
  let acme: WorkspaceFixture;
  /** The owner's session, signed in once for the file. */
  let owner: string;

  test.beforeAll(async ({ db }) => {
    acme = await createWorkspaceFixture(db, { slug: 'acme', password: PASSWORD });
    server = await listenOnLoopback((publicUrl) => testApp(asDatabase(db), { publicUrl }));
    owner = await signIn(server, acme.users.owner.email, PASSWORD);
    return () => server.close();
  });

  const trpc = (path: string, init: RequestInit = {}) => fetch(`${server.url}/trpc/${path}`, init);
  const mutation = (path: string, body: unknown, headers: Record<string, string>) =>
    trpc(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  test('the session cookie is __Host-, HttpOnly, Secure, SameSite=Strict, Path=/, without Domain', async () => {
    const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.publicUrl },
      body: JSON.stringify({ email: acme.users.auditor.email, password: PASSWORD }),
    });
    expect(response.status).toBe(200);
    const [cookie, ...others] = response.headers.getSetCookie();
    expect(others).toEqual([]);
    expect(cookie).toMatch(/^__Host-sluice\.session=/);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; SameSite=Strict/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).not.toMatch(/Domain=/i);
    const me = await trpc('session.me', { headers: { cookie: cookieHeader(response) } });
    expect(
      ((await me.json()) as { result: { data: { actor: { email: string } } } }).result.data.actor.email,
    ).toBe(acme.users.auditor.email);
  });

  test('wrong password, unknown email, no Origin, sign-up: all refused', async () => {
    const post = (path: string, body: unknown, origin?: string) =>
      fetch(`${server.url}/api/auth/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
        body: JSON.stringify(body),
      });
    expect(
      (
        await post(
          'sign-in/email',
          { email: acme.users.owner.email, password: 'wrong password!' },
          server.url,
        )
      ).status,
    ).toBe(401);
    expect(
      (await post('sign-in/email', { email: 'nobody@acme.test', password: PASSWORD }, server.url)).status,
    ).toBe(401);
    const signUp = await post(
      'sign-up/email',
      { email: 'new@acme.test', password: PASSWORD, name: 'New' },
      server.url,
    );
    expect(signUp.status).toBeGreaterThanOrEqual(400);
    expect(await createdUsers('new@acme.test')).toBe(0);
    // better-auth refuses a cookie-carrying POST without Origin; our own check refuses any.
    const noOrigin = await post('sign-in/email', { email: acme.users.owner.email, password: PASSWORD });
    expect(noOrigin.status).toBe(403);
  });

  async function createdUsers(email: string): Promise<number> {
    const response = await trpc('member.list', { headers: { cookie: owner } });
    const body = (await response.json()) as { result: { data: Array<{ email: string }> } };
    return body.result.data.filter((m) => m.email === email).length;
  }

  test('a cross-origin state-changing request with a valid cookie fails; same-origin succeeds', async () => {
    const input = { userId: acme.spare.id, role: 'reviewer' };
    const attempts: Array<Record<string, string>> = [
      { cookie: owner, origin: 'https://evil.example' },
      { cookie: owner, origin: 'null' },
      { cookie: owner },
      { cookie: owner, 'sec-fetch-site': 'cross-site' },
      { cookie: owner, origin: `http://127.0.0.1:${server.port + 1}` },
    ];
    for (const headers of attempts) {
      const response = await mutation('member.changeRole', input, headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
    const members = await (await trpc('member.list', { headers: { cookie: owner } })).json();
    expect(JSON.stringify(members)).toContain('"role":"operator"');

    // Both loopback spellings of the public URL are this site.
    for (const origin of [server.url, server.publicUrl]) {
      const response = await mutation('member.changeRole', input, { cookie: owner, origin });
      expect(response.status, origin).toBe(200);
    }
    const sameSite = await mutation(
      'member.changeRole',
      { ...input, role: 'operator' },
      {
        cookie: owner,
        'sec-fetch-site': 'same-origin',
      },
    );
    expect(sameSite.status).toBe(200);
  });

  test('no CORS: a preflight from another origin gets no Access-Control-Allow-* headers', async () => {
    const response = await fetch(`${server.url}/trpc/member.changeRole`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect([...response.headers.keys()].filter((key) => key.startsWith('access-control-'))).toEqual([]);
  });

  test('sign-out revokes the session on the server: the old cookie no longer works', async ({ db }) => {
    const cookie = await signIn(server, acme.users.editor.email, PASSWORD);
    expect((await trpc('workflow.list', { headers: { cookie } })).status).toBe(200);
    const sessionsBefore = await db.prisma.session.count({ where: { userId: acme.users.editor.id } });
    const crossSite = await fetch(`${server.url}/api/auth/sign-out`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: 'https://evil.example' },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
    const out = await fetch(`${server.url}/api/auth/sign-out`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: server.url },
      body: '{}',
    });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().join()).toMatch(/__Host-sluice\.session=;.*Max-Age=0/i);
    expect(await db.prisma.session.count({ where: { userId: acme.users.editor.id } })).toBe(
      sessionsBefore - 1,
    );
    // Replaying the old cookie (as a thief would) finds no session.
    expect((await trpc('workflow.list', { headers: { cookie } })).status).toBe(401);
  });

  test('a forged client-address header is replaced by the socket address', async ({ db }) => {
    const cookie = await signIn(server, acme.users.reviewer.email, PASSWORD);
    expect(cookie).toContain('__Host-sluice.session=');
    const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: server.url,
        'x-sluice-client-ip': '203.0.113.9',
      },
      body: JSON.stringify({ email: acme.users.reviewer.email, password: PASSWORD }),
    });
    expect(response.status).toBe(200);
    const session = await db.prisma.session.findFirstOrThrow({
      where: { userId: acme.users.reviewer.id },
      orderBy: { createdAt: 'desc' },
    });
    expect(session.ipAddress).toMatch(/127\.0\.0\.1/);
  });
});
