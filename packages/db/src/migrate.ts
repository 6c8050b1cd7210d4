// Our migrator: applies prisma/migrations at start-up, because the Prisma CLI cannot here (STACK.md).
// It keeps Prisma's bookkeeping table and lock, so the Prisma CLI, where it works, sees the same
// history and never migrates at the same time as we do.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { type DbLogger, silentLogger } from './logger';
import { defaultMigrationsDir, type MigrationFile, readMigrations } from './migration-files';

/** The advisory lock key Prisma Migrate takes on PostgreSQL; sharing it excludes both at once. */
const migrationLockKey = 72707369;

export type MigrationErrorCode =
  'MIGRATION_CHECKSUM_MISMATCH' | 'MIGRATION_MISSING' | 'MIGRATION_FAILED' | 'MIGRATION_UNRESOLVED';

/** Why the migrator refused to go on; `migrationName` is the folder name at fault. */
export class MigrationError extends Error {
  constructor(
    readonly code: MigrationErrorCode,
    readonly migrationName: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An applied migration's file has changed since: the database may not match what the file now says. */
export class MigrationChecksumError extends MigrationError {
  constructor(migrationName: string) {
    super(
      'MIGRATION_CHECKSUM_MISMATCH',
      migrationName,
      `migration ${migrationName} was modified after it was applied to this database; ` +
        'restore the file as it was and put the change in a new migration (npm run migration:new -- <name>)',
    );
  }
}

/** The database records a migration that is not on disk (an older checkout, or a deleted folder). */
export class MigrationMissingError extends MigrationError {
  constructor(migrationName: string) {
    super(
      'MIGRATION_MISSING',
      migrationName,
      `migration ${migrationName} is applied to this database but missing from the migrations directory; ` +
        'is this an older version of Sluice than the one that last ran on this database?',
    );
  }
}

/** A pending migration failed; its transaction was rolled back, so nothing of it remains. */
export class MigrationFailedError extends MigrationError {
  constructor(migrationName: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'MIGRATION_FAILED',
      migrationName,
      `migration ${migrationName} failed and was rolled back: ${reason}`,
      {
        cause,
      },
    );
  }
}

/** `_prisma_migrations` holds a failed attempt (by the Prisma CLI) that nobody resolved. */
export class MigrationUnresolvedError extends MigrationError {
  constructor(migrationName: string) {
    super(
      'MIGRATION_UNRESOLVED',
      migrationName,
      `migration ${migrationName} is recorded as started but never finished; repair the database, then ` +
        `mark it with 'prisma migrate resolve' (or set rolled_back_at in _prisma_migrations)`,
    );
  }
}

export interface MigrateOptions {
  /** Defaults to the repository's `prisma/migrations`. */
  migrationsDir?: string;
  log?: DbLogger;
}

// Prisma's own definition of the table, so either tool can read what the other wrote.
const createMigrationsTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

/**
 * Applies every pending migration, each in its own transaction, and returns the names it applied.
 *
 * Holds a session advisory lock throughout, so concurrent callers (several servers starting at once)
 * wait for each other and each migration runs once. Before applying anything it checks the history:
 * an applied migration whose file changed throws {@link MigrationChecksumError}, one missing on disk
 * {@link MigrationMissingError}. Migrations must not contain their own BEGIN/COMMIT, nor statements
 * that cannot run in a transaction (CREATE INDEX CONCURRENTLY).
 *
 * @example
 * const applied = await migrate(process.env.DATABASE_URL!, { log });
 * log.info(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
 */
export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  const log = options.log ?? silentLogger;
  const migrations = await readMigrations(options.migrationsDir ?? defaultMigrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'sluice-migrate' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    try {
      await client.query(createMigrationsTable);
      const pending = await pendingMigrations(client, migrations);
      const applied: string[] = [];
      for (const migration of pending) {
        await applyOne(client, migration);
        log.info(`applied migration ${migration.name}`);
        applied.push(migration.name);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

async function pendingMigrations(client: pg.Client, migrations: MigrationFile[]): Promise<MigrationFile[]> {
  const { rows } = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
      WHERE rolled_back_at IS NULL ORDER BY started_at, migration_name`,
  );
  const onDisk = new Map(migrations.map((m) => [m.name, m]));
  const done = new Set<string>();
  for (const row of rows) {
    if (row.finished_at === null) throw new MigrationUnresolvedError(row.migration_name);
    const file = onDisk.get(row.migration_name);
    if (!file) throw new MigrationMissingError(row.migration_name);
    if (file.checksum !== row.checksum) throw new MigrationChecksumError(row.migration_name);
    done.add(row.migration_name);
  }
  return migrations.filter((m) => !done.has(m.name));
}

async function applyOne(client: pg.Client, migration: MigrationFile): Promise<void> {
  await client.query('BEGIN');
  try {
    // No parameters: the simple query protocol, which runs a multi-statement script.
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new MigrationFailedError(migration.name, error);
  }
}
