import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { checkDatabase, createPrismaClient } from './client';
import { DurabilityError, openDatabase } from './database';
import { silentLogger } from './logger';
import { readMigrations } from './migration-files';
import { createTestDatabase, testServer } from './testing';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emptyDatabase() {
  const db = await createTestDatabase({ empty: true });
  cleanups.push(db.drop);
  return db;
}

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-open-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testServer().adminUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

describe('openDatabase', () => {
  test('with a databaseUrl: starts nothing, migrates, and answers health checks', async () => {
    const target = await emptyDatabase();
    const dataDir = path.join(await tempDir(), 'never-created');

    const db = await openDatabase({ dataDir, databaseUrl: target.url });
    try {
      expect(db.embedded).toBe(false);
      expect(db.url).toBe(target.url);
      expect(db.migrationsApplied).toEqual((await readMigrations()).map((m) => m.name));
      const applied = await db.prisma.$queryRawUnsafe<Array<{ migration_name: string }>>(
        'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name',
      );
      expect(applied.map((r) => r.migration_name)).toEqual((await readMigrations()).map((m) => m.name));
      expect(await db.prisma.workspace.count()).toBe(0);
      expect(await checkDatabase(db.prisma)).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
    } finally {
      await db.close();
    }
    await expect(fs.access(dataDir)).rejects.toThrow(); // no embedded server, no data directory
  });

  test('refuses a database that does not wait for commits to reach disk', async () => {
    const target = await emptyDatabase();
    await admin(`ALTER DATABASE "${target.name}" SET synchronous_commit = off`);

    const error = await openDatabase({ dataDir: await tempDir(), databaseUrl: target.url }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DurabilityError);
    expect(error).toMatchObject({ code: 'DATABASE_NOT_DURABLE', setting: 'synchronous_commit' });
    expect(String(error)).toContain('synchronous_commit = off');
  });

  test('without one: runs the embedded server in <dataDir>/pg and stops it on close', async () => {
    const dataDir = await tempDir();
    const db = await openDatabase({ dataDir });
    let closed = false;
    cleanups.push(async () => {
      if (!closed) await db.close();
    });
    expect(db.embedded).toBe(true);
    expect(db.url).toMatch(/^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/sluice$/);
    await db.prisma.workspace.create({ data: { name: 'Kept', slug: 'kept' } });
    await fs.access(path.join(dataDir, 'pg', 'postmaster.pid'));

    await db.close();
    closed = true;
    await expect(fs.access(path.join(dataDir, 'pg', 'postmaster.pid'))).rejects.toThrow();

    const reopened = await openDatabase({ dataDir });
    try {
      expect(reopened.migrationsApplied).toEqual([]);
      expect(await reopened.prisma.workspace.findMany({ select: { slug: true } })).toEqual([
        { slug: 'kept' },
      ]);
    } finally {
      await reopened.close();
    }
  });
});

describe('checkDatabase', () => {
  test('reports an unreachable database instead of throwing', async () => {
    const prisma = createPrismaClient('postgresql://nobody:nothing@127.0.0.1:1/none');
    const warnings: string[] = [];
    try {
      const health = await checkDatabase(prisma, { log: { ...silentLogger, warn: (m) => warnings.push(m) } });
      expect(health).toEqual({ ok: false, latencyMs: expect.any(Number) });
      expect(warnings).toEqual([expect.stringContaining('database health check failed')]);
    } finally {
      await prisma.$disconnect();
    }
  });
});
