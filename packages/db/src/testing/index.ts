/**
 * Real-PostgreSQL test databases for vitest (CONVENTIONS 11).
 *
 * Usage in another package:
 *
 *   // vitest.config.ts
 *   export default defineConfig({
 *     test: { include: ['src/**\/*.test.ts'], globalSetup: ['@sluice/db/testing/global-setup'] },
 *   });
 *
 *   // something.test.ts
 *   import { test } from '@sluice/db/testing';
 *   test('stores a workspace', async ({ db, expect }) => {
 *     await db.prisma.workspace.create({ data: { name: 'A', slug: 'a' } });
 *     expect(await db.prisma.workspace.count()).toBe(1);
 *   });
 *
 * The global setup starts one embedded PostgreSQL per test run (or uses TEST_DATABASE_URL) and
 * migrates a template database once. The `db` fixture is file-scoped: every test file gets its own
 * database, cloned from the template (CREATE DATABASE … TEMPLATE, tens of milliseconds) and dropped
 * after the file, so files run in parallel without seeing each other's rows. Tests within one file
 * share it: give rows unique keys, or call `createTestDatabase()` for a database of your own.
 */
import pg from 'pg';
import { inject, test as base } from 'vitest';
import { createPrismaClient, type PrismaClient } from '../client';
import { errorCode, sleep } from '../embedded-process';
import { uniqueDatabaseName, withDatabase } from './context';

export interface TestDatabase {
  /** The database's name on the test server. */
  name: string;
  url: string;
  prisma: PrismaClient;
}

export interface CreatedDatabase {
  name: string;
  url: string;
  /** Drops the database, disconnecting whoever is still connected. */
  drop(): Promise<void>;
}

/**
 * A new database on the test server: a clone of the migrated template, or with `{ empty: true }` an
 * empty one (from `template0`), e.g. to test migrations themselves. Drop it when done.
 *
 * @example
 * const scratch = await createTestDatabase({ empty: true });
 * try { await migrate(scratch.url); } finally { await scratch.drop(); }
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<CreatedDatabase> {
  const adminUrl = inject('sluiceDbAdminUrl');
  const template = options.empty ? 'template0' : inject('sluiceDbTemplate');
  const name = uniqueDatabaseName('sluice_test');
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      break;
    } catch (error) {
      // 55006 object_in_use: someone is connected to the template this instant; it does not last.
      if (errorCode(error) !== '55006' || attempt >= 20) throw error;
      await sleep(50 * attempt);
    }
  }
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** vitest's `test` with a file-scoped `db` fixture: `{ name, url, prisma }` of this file's database. */
export const test = base.extend(
  'db',
  { scope: 'file' },
  // eslint-disable-next-line no-empty-pattern -- vitest requires a destructuring pattern here
  async ({}, { onCleanup }): Promise<TestDatabase> => {
    const created = await createTestDatabase();
    const prisma = createPrismaClient(created.url);
    onCleanup(async () => {
      await prisma.$disconnect();
      await created.drop();
    });
    return { name: created.name, url: created.url, prisma };
  },
);

/** The test server's admin URL and template name, for tests that manage databases themselves. */
export function testServer(): { adminUrl: string; template: string } {
  return { adminUrl: inject('sluiceDbAdminUrl'), template: inject('sluiceDbTemplate') };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
