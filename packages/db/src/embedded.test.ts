import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { type EmbeddedPostgres, startEmbeddedPostgres, stopOnSignals } from './embedded';
import { isAlive, sleep } from './embedded-process';

const here = path.dirname(fileURLToPath(import.meta.url));
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDataDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-embedded-'));
  cleanups.push(async () => {
    // Whatever a failed test left running in it goes first.
    const pidFile = await fs.readFile(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').catch(() => '');
    const pid = Number.parseInt(pidFile.split('\n')[0] ?? '', 10);
    if (pid > 0 && isAlive(pid)) {
      process.kill(pid, 'SIGINT');
      await waitUntilGone(pid);
    }
    await fs.rm(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Starts a server and makes sure it is stopped after the test, whatever happens. */
async function start(dataDir: string): Promise<EmbeddedPostgres> {
  const server = await startEmbeddedPostgres({ dataDir });
  cleanups.push(() => server.stop());
  return server;
}

async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

interface ChildServer {
  child: ChildProcess;
  adminUrl: string;
  port: number;
  postmasterPid: number;
}

/** Starts the embedded server from another Node process (plain node + tsx: one process to kill). */
function startInChild(dataDir: string): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(here, '__fixtures__', 'embedded-child.ts'), dataDir],
    {
      cwd: path.resolve(here, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) resolve({ child, ...JSON.parse(line) });
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before starting: ${stderr}`)));
  });
}

function killAndWait(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function waitUntilGone(pid: number): Promise<void> {
  for (let i = 0; i < 200 && isAlive(pid); i++) await sleep(50);
  expect(isAlive(pid)).toBe(false);
}

describe('startEmbeddedPostgres', () => {
  test('keeps data across stop and restart, on the same port, with durable settings', async () => {
    const dataDir = await tempDataDir();
    const first = await startEmbeddedPostgres({ dataDir });
    expect(first.owned).toBe(true);
    await sql(first.url, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$hello$$)');
    expect(await sql(first.url, 'SHOW synchronous_commit')).toEqual([{ synchronous_commit: 'on' }]);
    expect(await sql(first.url, 'SHOW fsync')).toEqual([{ fsync: 'on' }]);
    await first.stop();
    await expect(fs.access(path.join(first.pgDataDir, 'postmaster.pid'))).rejects.toThrow();
    await expect(sql(first.url, 'SELECT 1')).rejects.toThrow();

    const second = await start(dataDir);
    expect(second.port).toBe(first.port);
    expect(await sql(second.url, 'SELECT v FROM kept')).toEqual([{ v: 'hello' }]);

    const state = await fs.stat(path.join(dataDir, 'pg.json'));
    expect(state.mode & 0o777).toBe(0o600);
    if (process.getuid?.() === 0) {
      const { uid } = await fs.stat(second.pgDataDir);
      expect(uid).not.toBe(0);
    }
  });

  test('removes a postmaster.pid whose pid now belongs to another process', async () => {
    const dataDir = await tempDataDir();
    const first = await startEmbeddedPostgres({ dataDir });
    await first.stop();
    // As after a reboot: the old pid is reused, here by this very process.
    await fs.writeFile(path.join(first.pgDataDir, 'postmaster.pid'), `${process.pid}\n${first.pgDataDir}\n`);

    const second = await start(dataDir);
    expect(await sql(second.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  test('adopts a server left running by a parent killed with SIGKILL', async () => {
    const dataDir = await tempDataDir();
    const orphaned = await startInChild(dataDir);
    await sql(orphaned.adminUrl, 'CREATE TABLE left_behind (v int); INSERT INTO left_behind VALUES (7)');
    await killAndWait(orphaned.child);
    expect(isAlive(orphaned.postmasterPid)).toBe(true); // the orphan keeps serving

    const adopted = await start(dataDir);
    expect(adopted.owned).toBe(true);
    expect(adopted.port).toBe(orphaned.port);
    expect(await sql(adopted.adminUrl, 'SELECT v FROM left_behind')).toEqual([{ v: 7 }]);

    await adopted.stop();
    await waitUntilGone(orphaned.postmasterPid);
  });

  test('recovers when the server itself was killed with its parent (stale postmaster.pid)', async () => {
    const dataDir = await tempDataDir();
    const crashed = await startInChild(dataDir);
    await sql(crashed.adminUrl, 'CREATE TABLE committed (v int); INSERT INTO committed VALUES (42)');
    await killAndWait(crashed.child);
    process.kill(crashed.postmasterPid, 'SIGKILL');
    await waitUntilGone(crashed.postmasterPid);
    await fs.access(path.join(dataDir, 'pg', 'postmaster.pid')); // left behind by the crash

    const recovered = await start(dataDir);
    expect(recovered.owned).toBe(true);
    expect(await sql(recovered.adminUrl, 'SELECT v FROM committed')).toEqual([{ v: 42 }]);
  });

  test('shares a server that another live process started, without stopping it', async () => {
    const dataDir = await tempDataDir();
    const owner = await startInChild(dataDir);

    const guest = await startEmbeddedPostgres({ dataDir });
    expect(guest.owned).toBe(false);
    expect(guest.port).toBe(owner.port);
    await guest.stop();
    expect(await sql(owner.adminUrl, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);

    await killAndWait(owner.child);
    await (await startEmbeddedPostgres({ dataDir })).stop(); // adopt the orphan, then stop it
    await waitUntilGone(owner.postmasterPid);
  });
});

describe('stopOnSignals', () => {
  test('stops on SIGTERM and leaves the exit to other listeners', async () => {
    const stop = vi.fn(async () => {});
    const other = vi.fn();
    process.on('SIGTERM', other); // present, so stopOnSignals must not re-raise the signal
    try {
      const dispose = stopOnSignals({ stop });
      process.emit('SIGTERM', 'SIGTERM');
      await vi.waitFor(() => expect(stop).toHaveBeenCalledTimes(1));
      process.emit('SIGTERM', 'SIGTERM');
      expect(stop).toHaveBeenCalledTimes(1); // handlers removed after the first signal
      dispose();
    } finally {
      process.off('SIGTERM', other);
    }
  });
});
