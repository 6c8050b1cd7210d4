import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import {
  migrate,
  MigrationChecksumError,
  MigrationFailedError,
  MigrationMissingError,
  MigrationUnresolvedError,
} from './migrate';
import { readMigrations, sha256Hex } from './migration-files';
import { type CreatedDatabase, createTestDatabase } from './testing';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emptyDatabase(): Promise<CreatedDatabase> {
  const db = await createTestDatabase({ empty: true });
  cleanups.push(db.drop);
  return db;
}

/** A migrations directory of our own, so a test can edit and delete files. */
async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-migrations-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  for (const [name, sql] of Object.entries(files)) {
    await fs.mkdir(path.join(dir, name));
    await fs.writeFile(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const threeMigrations = {
  '20260101000000_one': 'CREATE TABLE one (id int PRIMARY KEY);\n',
  // Slow enough that concurrent callers really do overlap.
  '20260101000001_two': 'SELECT pg_sleep(0.3);\nCREATE TABLE two (id int PRIMARY KEY);\n',
  '20260101000002_three': 'INSERT INTO one VALUES (1);\nINSERT INTO two VALUES (2);\n',
};

describe('migrate', () => {
  test('applies the repository migrations and records them as Prisma does', async () => {
    const db = await emptyDatabase();
    const files = await readMigrations();
    expect(files.length).toBeGreaterThan(0);

    expect(await migrate(db.url)).toEqual(files.map((f) => f.name));
    expect(await migrate(db.url)).toEqual([]);

    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      db.url,
      'SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
  });

  test('applies each migration exactly once when 5 processes start at the same time', async () => {
    const db = await emptyDatabase();
    const dir = await migrationsDir(threeMigrations);

    const results = await Promise.all(
      Array.from({ length: 5 }, () => migrate(db.url, { migrationsDir: dir })),
    );

    expect(results.flat().sort()).toEqual(Object.keys(threeMigrations));
    expect(results.filter((applied) => applied.length > 0)).toHaveLength(1);
    const rows = await query<{ n: string }>(db.url, 'SELECT count(*) AS n FROM _prisma_migrations');
    expect(rows[0]?.n).toBe('3');
    expect(await query(db.url, 'SELECT * FROM one')).toEqual([{ id: 1 }]);
  });

  test('checksums are the SHA-256 of the file bytes', async () => {
    const db = await emptyDatabase();
    const dir = await migrationsDir({ '20260101000000_one': 'CREATE TABLE one (id int);\r\n' });
    await migrate(db.url, { migrationsDir: dir });
    const [row] = await query<{ checksum: string }>(db.url, 'SELECT checksum FROM _prisma_migrations');
    expect(row?.checksum).toBe(sha256Hex('CREATE TABLE one (id int);\r\n'));
  });

  test('refuses to start when an applied migration was edited, naming it', async () => {
    const db = await emptyDatabase();
    const dir = await migrationsDir(threeMigrations);
    await migrate(db.url, { migrationsDir: dir });

    await fs.appendFile(
      path.join(dir, '20260101000001_two', 'migration.sql'),
      '-- a harmless-looking comment\n',
    );
    await fs.mkdir(path.join(dir, '20260101000003_four'));
    await fs.writeFile(path.join(dir, '20260101000003_four', 'migration.sql'), 'CREATE TABLE four (id int);');

    const error = await migrate(db.url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationChecksumError);
    expect(error).toMatchObject({ code: 'MIGRATION_CHECKSUM_MISMATCH', migrationName: '20260101000001_two' });
    expect(String(error)).toContain('migration 20260101000001_two was modified after it was applied');
    // Nothing after the refusal was applied.
    expect(await query(db.url, "SELECT 1 FROM pg_tables WHERE tablename = 'four'")).toEqual([]);
  });

  test('refuses to start when an applied migration is missing on disk', async () => {
    const db = await emptyDatabase();
    const dir = await migrationsDir(threeMigrations);
    await migrate(db.url, { migrationsDir: dir });
    await fs.rm(path.join(dir, '20260101000002_three'), { recursive: true });

    const error = await migrate(db.url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationMissingError);
    expect(error).toMatchObject({ code: 'MIGRATION_MISSING', migrationName: '20260101000002_three' });
    expect(String(error)).toContain('20260101000002_three');
  });

  test('rolls a failing migration back entirely and applies it once fixed', async () => {
    const db = await emptyDatabase();
    const dir = await migrationsDir({
      '20260101000000_one': 'CREATE TABLE one (id int PRIMARY KEY);',
      '20260101000001_bad': 'CREATE TABLE half (id int);\nINSERT INTO nowhere VALUES (1);',
    });

    const error = await migrate(db.url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationFailedError);
    expect(error).toMatchObject({ code: 'MIGRATION_FAILED', migrationName: '20260101000001_bad' });
    expect(String(error)).toContain('relation "nowhere" does not exist');
    expect(await query(db.url, "SELECT 1 FROM pg_tables WHERE tablename = 'half'")).toEqual([]);
    expect(await query(db.url, 'SELECT migration_name FROM _prisma_migrations')).toEqual([
      { migration_name: '20260101000000_one' },
    ]);

    await fs.writeFile(path.join(dir, '20260101000001_bad', 'migration.sql'), 'CREATE TABLE half (id int);');
    expect(await migrate(db.url, { migrationsDir: dir })).toEqual(['20260101000001_bad']);
  });

  test('refuses a migration that another tool started and never finished', async () => {
    const db = await emptyDatabase();
    const dir = await migrationsDir({ '20260101000000_one': 'CREATE TABLE one (id int);' });
    await migrate(db.url, { migrationsDir: dir });
    await query(
      db.url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ('x', '${'0'.repeat(64)}', '20260101000001_two')`,
    );
    const error = await migrate(db.url, { migrationsDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationUnresolvedError);
    expect(error).toMatchObject({ migrationName: '20260101000001_two' });
  });
});
