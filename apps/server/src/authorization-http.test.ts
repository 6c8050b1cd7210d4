// The authorisation matrix through real HTTP with real sessions: every procedure of the router ×
// every role × own and foreign workspace, nobody signed in, and odd spellings of the paths.
import http from 'node:http';
import { roleCan } from '@sluice/api';
import {
  asDatabase,
  createWorkspaceFixture,
  procedureEntries,
  procedureSamples,
  type WorkspaceFixture,
} from '@sluice/api/testing';
import { type MembershipRole, membershipRoles } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { listenOnLoopback, type LoopbackServer, signIn, testApp } from './test-support';

const PASSWORD = 'correct horse battery staple';
const procedures = procedureEntries();

/** One request with the path sent exactly as written (fetch would normalise it). */
function raw(
  server: LoopbackServer,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port: server.port, method, path, headers: { origin: server.url, ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        const stream = response.headers['content-type']?.startsWith('text/event-stream');
        const done = () => {
          response.destroy();
          resolve({ status: response.statusCode ?? 0, text });
        };
        // A subscription answers 200 and streams: its first event after `connected` is the outcome.
        if (stream) setTimeout(done, 3000).unref();
        response.on('data', (chunk: string) => {
          text += chunk;
          if (
            stream &&
            text
              .split('\n\n')
              .some((block) => block.includes('data:') && !/event: (connected|ping)/.test(block))
          )
            done();
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on('error', reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

/** The HTTP call of a procedure: GET with `?input=` for queries and subscriptions, POST for mutations. */
function call(
  server: LoopbackServer,
  path: string,
  type: string,
  input: unknown,
  headers: Record<string, string>,
) {
  if (type === 'mutation')
    return raw(
      server,
      'POST',
      `/trpc/${path}`,
      { 'content-type': 'application/json', ...headers },
      JSON.stringify(input ?? null),
    );
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  return raw(server, 'GET', `/trpc/${path}${query}`, headers);
}

/** The tRPC error code in an answer (JSON or the first server-sent event), or 'OK'. */
function codeOf(answer: { status: number; text: string }): string {
  const match = /"code":"([A-Z_]+)"/.exec(answer.text);
  if (answer.status >= 400 || (match && answer.text.includes('error')))
    return match?.[1] ?? String(answer.status);
  return 'OK';
}

describe('the authorisation matrix over HTTP', () => {
  let server: LoopbackServer;
  let own: WorkspaceFixture;
  let foreign: WorkspaceFixture;
  const cookies = new Map<MembershipRole, string>();

  test.beforeAll(async ({ db }) => {
    own = await createWorkspaceFixture(db, { slug: 'own', password: PASSWORD });
    foreign = await createWorkspaceFixture(db, { slug: 'foreign' });
    server = await listenOnLoopback((publicUrl) => testApp(asDatabase(db), { publicUrl }));
    for (const role of membershipRoles)
      cookies.set(role, await signIn(server, own.users[role].email, PASSWORD));
    return () => server.close();
  });

  test.each(membershipRoles)(
    '%s: allowed exactly where the table says; other workspaces are NOT_FOUND',
    async (role) => {
      const samples = procedureSamples(own, foreign);
      const cookie = cookies.get(role) ?? '';
      for (const { path, type, permission } of procedures) {
        const sample = samples[path];
        if (!sample || !permission) throw new Error(`${path}: no sample or permission`);
        const mine = codeOf(await call(server, path, type, sample.own(), { cookie }));
        if (!roleCan(role, permission)) {
          expect(mine, `${role} ${path}`).toBe('FORBIDDEN');
          continue;
        }
        expect(['FORBIDDEN', 'UNAUTHORIZED'], `${role} ${path}: ${mine}`).not.toContain(mine);
        if (sample.foreign) {
          const theirs = codeOf(await call(server, path, type, sample.foreign(), { cookie }));
          expect(theirs, `${role} ${path} foreign`).toBe('NOT_FOUND');
        }
      }
    },
  );

  test('without a session: UNAUTHORIZED for every procedure', async () => {
    const samples = procedureSamples(own, foreign);
    for (const { path, type } of procedures) {
      const answer = await call(server, path, type, samples[path]?.own(), {});
      expect(codeOf(answer), path).toBe('UNAUTHORIZED');
      expect(answer.status, path).toBe(type === 'subscription' ? answer.status : 401);
    }
  });

  test('without a session: odd spellings of every path never answer with data', async () => {
    for (const { path, type } of procedures) {
      const [router = '', name = ''] = path.split('.');
      const variants = [
        `/TRPC/${path}`,
        `/Trpc/${path}`,
        `/trpc/${router}%2E${name}`,
        `/trpc/${router}%2e${name}`,
        `/trpc/${router.toUpperCase()}.${name}`,
        `//trpc/${path}`,
        `/trpc//${path}`,
        `/trpc/${path}/`,
        `/trpc/./${path}`,
        `/trpc/%2e/${path}`,
        `/api/../trpc/${path}`,
        `/trpc/x/%2E%2E/${path}`,
        `/trpc/${path}%00`,
        `/trpc\\${path}`,
      ];
      for (const variant of variants) {
        const method = type === 'mutation' ? 'POST' : 'GET';
        const answer = await raw(
          server,
          method,
          variant,
          { 'content-type': 'application/json' },
          method === 'POST' ? '{}' : undefined,
        );
        // A subscription's stream answers 200 by protocol; its first event is then the refusal.
        const refused =
          [400, 401, 404, 405].includes(answer.status) ||
          (type === 'subscription' && ['UNAUTHORIZED', 'NOT_FOUND'].includes(codeOf(answer)));
        expect(refused, `${method} ${variant}: ${answer.status} ${answer.text.slice(0, 200)}`).toBe(true);
        expect(answer.text, variant).not.toContain('"result"');
      }
    }
  });

  test('with a session, non-canonical spellings are refused too (only dot segments resolve)', async () => {
    const cookie = cookies.get('owner') ?? '';
    for (const variant of [
      '/TRPC/workflow.list',
      '/trpc/workflow%2Elist',
      '//trpc/workflow.list',
      '/trpc//workflow.list',
    ]) {
      const answer = await raw(server, 'GET', variant, { cookie });
      expect(answer.status, variant).toBe(404);
    }
    // Dot segments are resolved by the URL parser before any route or check sees the path.
    expect((await raw(server, 'GET', '/api/../trpc/workflow.list', { cookie })).status).toBe(200);
  });

  test('a member chooses among their workspaces; naming one they are not in is FORBIDDEN', async ({ db }) => {
    const cookie = cookies.get('auditor') ?? '';
    const list = async (workspace?: string) =>
      raw(server, 'GET', '/trpc/session.me', {
        cookie,
        ...(workspace ? { 'x-sluice-workspace': workspace } : {}),
      });
    expect(codeOf(await list(foreign.workspaceId))).toBe('FORBIDDEN');
    expect(codeOf(await list('not-a-workspace'))).toBe('FORBIDDEN');
    await db.prisma.membership.create({
      data: { workspaceId: foreign.workspaceId, userId: own.users.auditor.id, role: 'editor' },
    });
    const there = await list(foreign.workspaceId);
    expect(there.text).toContain(`"role":"editor"`);
    expect(there.text).toContain(foreign.workspaceId);
    const home = await list();
    expect(home.text).toContain(`"role":"auditor"`);
    expect(home.text).toContain(own.workspaceId);
  });
});
