// `sluice start` as a real process: first start, restart, kill -9, SIGINT, and an external database.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@sluice/db/testing';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const children = new Set<ChildProcess>();
afterAll(() => children.forEach((child) => child.kill('SIGKILL')));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Promise<Started> & { output?: () => string } {
  return (async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
      cwd: serverDir,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SLUICE_LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let text = '';
    child.stdout?.on('data', (chunk) => (text += chunk));
    child.stderr?.on('data', (chunk) => (text += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 45_000;
    while (!text.includes('listening on')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await exited.catch(() => undefined);
        return { child, port, output: () => text, exited };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return { child, port, output: () => text, exited };
  })();
}

async function health(port: number) {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: response.status, body: (await response.json()) as { database: { ok: boolean } } };
}

/** Signs in as the seeded demo owner (its password is in the data directory) and lists the workflows. */
async function workflows(port: number, dataDir: string): Promise<Array<{ id: string; name: string }>> {
  const credentials = await fs.readFile(path.join(dataDir, 'demo-credentials.txt'), 'utf8');
  const [, email, password] = /^owner\s+(\S+)\s+(\S+)$/m.exec(credentials) ?? [];
  const signIn = await fetch(`http://127.0.0.1:${port}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}` },
    body: JSON.stringify({ email, password }),
  });
  expect(signIn.status).toBe(200);
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const response = await fetch(`http://127.0.0.1:${port}/trpc/workflow.list`, { headers: { cookie } });
  return ((await response.json()) as { result: { data: Array<{ id: string; name: string }> } }).result.data;
}

async function postgresRunningIn(dataDir: string): Promise<boolean> {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  const text = await fs.readFile(pidFile, 'utf8').catch(() => null);
  if (text === null) return false;
  const pid = Number(text.split('\n')[0]);
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('sluice start on the embedded database', () => {
  test('first start seeds, restart keeps data, kill -9 recovers, SIGINT leaves no PostgreSQL', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-start-'));
    const env = { SLUICE_DATA_DIR: dataDir };

    const first = await startServer(env);
    expect(first.output()).toContain('listening on');
    expect(first.output()).toContain('seeded the demo workspace');
    expect((await health(first.port)).body.database.ok).toBe(true);
    const seeded = await workflows(first.port, dataDir);
    expect(seeded.map((w) => w.name)).toEqual(['Support ticket triage']);
    const credentials = path.join(dataDir, 'demo-credentials.txt');
    expect((await fs.stat(credentials)).mode & 0o777).toBe(0o600);
    for (const role of ['owner', 'editor', 'operator', 'reviewer', 'auditor']) {
      expect(await fs.readFile(credentials, 'utf8')).toContain(`${role}@demo.sluice.test`);
    }

    // kill -9: no chance to stop PostgreSQL cleanly.
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startServer(env);
    expect(second.output()).toContain('listening on');
    expect(second.output()).not.toContain('seeded');
    expect(await workflows(second.port, dataDir)).toEqual(seeded);

    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(await postgresRunningIn(dataDir)).toBe(false);

    const third = await startServer(env);
    expect(await workflows(third.port, dataDir)).toEqual(seeded);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(await postgresRunningIn(dataDir)).toBe(false);
    await fs.rm(dataDir, { recursive: true, force: true });
  });
});

describe('sluice start with DATABASE_URL', () => {
  test('starts no embedded server and works on the external database', async () => {
    const database = await createTestDatabase({ empty: true });
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-ext-'));
    try {
      const server = await startServer({ DATABASE_URL: database.url, SLUICE_DATA_DIR: dataDir });
      expect(server.output()).toContain('external PostgreSQL');
      expect((await health(server.port)).body.database.ok).toBe(true);
      expect((await workflows(server.port, dataDir)).map((w) => w.name)).toEqual(['Support ticket triage']);
      await expect(fs.stat(path.join(dataDir, 'pg'))).rejects.toThrow();
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
      await database.drop();
    }
  });

  test('a migration edited after it was applied is refused at start, naming it', async () => {
    const database = await createTestDatabase({ empty: true });
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-edit-'));
    try {
      const first = await startServer({ DATABASE_URL: database.url, SLUICE_DATA_DIR: dataDir });
      first.child.kill('SIGTERM');
      await first.exited;
      // The recorded checksum no longer matching the file is what an edit after applying looks like.
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query<{ migration_name: string }>(
        `UPDATE _prisma_migrations SET checksum = repeat('0', 64)
          WHERE migration_name = (SELECT min(migration_name) FROM _prisma_migrations) RETURNING migration_name`,
      );
      await client.end();
      const name = rows[0]!.migration_name;

      const second = await startServer({ DATABASE_URL: database.url, SLUICE_DATA_DIR: dataDir });
      expect(await second.exited).not.toBe(0);
      expect(second.output()).toContain(name);
      expect(second.output()).toMatch(/modified after it was applied/);
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
      await database.drop();
    }
  });
});
