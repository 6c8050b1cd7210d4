import pg from 'pg';
import { createPrismaClient, type PrismaClient } from './client';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded';
import { type DbLogger, silentLogger } from './logger';
import { migrate } from './migrate';

export interface OpenDatabaseOptions {
  /** Sluice's data directory; the embedded server keeps its data in `<dataDir>/pg`. */
  dataDir: string;
  /** An external PostgreSQL; when set, nothing is started. */
  databaseUrl?: string | undefined;
  log?: DbLogger;
  /** Defaults to the repository's `prisma/migrations`. */
  migrationsDir?: string;
}

/** An open, migrated database. */
export interface Database {
  url: string;
  /** Whether this process runs (or shares) the embedded server, rather than using `databaseUrl`. */
  embedded: boolean;
  prisma: PrismaClient;
  /** The migrations this open applied (empty when the database was up to date). */
  migrationsApplied: string[];
  /** Disconnects, then stops the embedded server if this process started it. */
  close(): Promise<void>;
}

/** The database is not durable enough to run workflows on; the message says which setting to change. */
export class DurabilityError extends Error {
  readonly code = 'DATABASE_NOT_DURABLE';
  constructor(
    readonly setting: string,
    readonly value: string,
  ) {
    super(
      `PostgreSQL has ${setting} = ${value}: committed run state could be lost in a crash. ` +
        `Set ${setting} = on for the database Sluice uses.`,
    );
    this.name = 'DurabilityError';
  }
}

/**
 * Opens the database Sluice runs on: the external one at `databaseUrl`, or else the embedded server
 * in `<dataDir>/pg` (started, or initialised on first use). Refuses a server that does not flush
 * commits (`synchronous_commit` or `fsync` off), then applies pending migrations.
 *
 * @example
 * const db = await openDatabase({ dataDir: '.sluice', databaseUrl: process.env.DATABASE_URL, log });
 * try {
 *   await db.prisma.workspace.findMany();
 * } finally {
 *   await db.close();
 * }
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const log = options.log ?? silentLogger;
  let server: EmbeddedPostgres | undefined;
  if (!options.databaseUrl) server = await startEmbeddedPostgres({ dataDir: options.dataDir, log });
  const url = options.databaseUrl || (server?.url ?? '');
  try {
    await assertDurable(url);
    const migrationsApplied = await migrate(url, { log, migrationsDir: options.migrationsDir });
    const prisma = createPrismaClient(url);
    return {
      url,
      embedded: server !== undefined,
      prisma,
      migrationsApplied,
      async close() {
        await prisma.$disconnect();
        await server?.stop();
      },
    };
  } catch (error) {
    await server?.stop().catch(() => undefined);
    throw error;
  }
}

/**
 * Every synchronous_commit value but `off` waits for the local WAL flush (`remote_*` wait for more);
 * `off` and `fsync = off` can lose acknowledged commits.
 */
async function assertDurable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'sluice' });
  await client.connect();
  try {
    for (const setting of ['synchronous_commit', 'fsync']) {
      const { rows } = await client.query<Record<string, string>>(`SHOW ${setting}`);
      const value = rows[0]?.[setting] ?? 'unknown';
      if (value === 'off') throw new DurabilityError(setting, value);
    }
  } finally {
    await client.end();
  }
}
