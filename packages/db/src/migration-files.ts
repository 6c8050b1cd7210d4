// Where the database shape lives on disk, and reading migrations in Prisma's layout:
// prisma/migrations/<timestamp>_<name>/migration.sql, applied in name order.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout this code runs from: the nearest folder above this module that holds
 * `prisma/schema.prisma`. Found rather than counted, so that it is the same from the sources
 * (packages/db/src) and from the server's bundle (apps/server/dist).
 */
export const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(from: string): string {
  for (let dir = from; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'prisma', 'schema.prisma'))) return dir;
  }
  // Not in a checkout: reading the migrations then fails and names the folder it looked in.
  return path.resolve(from, '../../..');
}

/** `prisma/schema.prisma`: the single source of the database shape. */
export const schemaPath = path.join(repoRoot, 'prisma', 'schema.prisma');

/** `prisma/migrations` of the checkout. */
export const defaultMigrationsDir = path.join(repoRoot, 'prisma', 'migrations');

/** The schema as of the newest migration; `migration:new` diffs against it and then updates it. */
export const snapshotFileName = '.schema-snapshot.prisma';

export interface MigrationFile {
  /** The folder name, e.g. `20260101120000_init`; what `_prisma_migrations.migration_name` holds. */
  name: string;
  sql: string;
  /** SHA-256 (hex) of the file's bytes, as Prisma computes it. */
  checksum: string;
}

/** Every `<dir>/<name>/migration.sql`, sorted by name. Other files (the lock file, the snapshot) are skipped. */
export async function readMigrations(dir: string = defaultMigrationsDir): Promise<MigrationFile[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    throw new Error(`cannot read the migrations directory ${dir}`, { cause: error });
  });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrations: MigrationFile[] = [];
  for (const name of names) {
    const bytes = await fs.readFile(path.join(dir, name, 'migration.sql')).catch(() => null);
    if (bytes === null) continue; // a folder without migration.sql is not a migration
    migrations.push({ name, sql: bytes.toString('utf8'), checksum: sha256Hex(bytes) });
  }
  return migrations;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
