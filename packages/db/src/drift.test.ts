// schema.prisma and prisma/migrations must describe the same database. Two checks:
//  1. the snapshot the newest migration was generated from equals schema.prisma (so someone who
//     edited schema.prisma without `npm run migration:new` is caught), and
//  2. a database built by applying all migrations has the same tables, columns, types, enums,
//     constraints and indexes as one built by the schema engine straight from schema.prisma (so a
//     hand-edited generated part is caught). Hand-written extras may only be what Prisma cannot
//     express: partial indexes, functions and triggers.
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { defaultMigrationsDir, schemaPath, snapshotFileName } from './migration-files';
import { openSchemaEngine, type SchemaEngineSession } from './schema-engine';
import { createTestDatabase, test, testServer } from './testing';

interface Shape {
  columns: string[];
  enums: string[];
  constraints: string[];
  indexes: Array<{ name: string; def: string }>;
}

async function describeSchema(url: string): Promise<Shape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = async (text: string) => (await client.query<{ line: string }>(text)).rows.map((r) => r.line);
    const columns = await rows(`
      SELECT concat_ws(' | ', table_name, column_name, udt_name, is_nullable, column_default,
                       character_maximum_length, numeric_precision, datetime_precision) AS line
        FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
       ORDER BY table_name, column_name`);
    const enums = await rows(`
      SELECT t.typname || ': ' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) AS line
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
       WHERE t.typnamespace = 'public'::regnamespace
       GROUP BY t.typname ORDER BY t.typname`);
    const constraints = await rows(`
      SELECT conrelid::regclass::text || ' | ' || conname || ' | ' || pg_get_constraintdef(oid) AS line
        FROM pg_constraint
       WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'
       ORDER BY 1`);
    const indexes = (
      await client.query<{ name: string; def: string }>(`
        SELECT indexname AS name, indexdef AS def FROM pg_indexes
         WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`)
    ).rows;
    return { columns, enums, constraints, indexes };
  } finally {
    await client.end();
  }
}

/** A fresh database built by the schema engine from a schema text, bypassing the migrations. */
async function databaseFromSchema(engine: SchemaEngineSession, content: string) {
  const db = await createTestDatabase({ empty: true });
  try {
    const sql = await engine.diff({ kind: 'empty' }, { kind: 'schema', path: 'schema.prisma', content });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(sql).finally(() => client.end());
    return { shape: await describeSchema(db.url), drop: db.drop };
  } catch (error) {
    await db.drop();
    throw error;
  }
}

function compare(migrated: Shape, fromSchema: Shape) {
  const expected = new Set(fromSchema.indexes.map((i) => i.def));
  return {
    columns: migrated.columns,
    enums: migrated.enums,
    constraints: migrated.constraints,
    indexes: migrated.indexes.filter((i) => expected.has(i.def)).map((i) => i.def),
    extraIndexesThatAreNotPartial: migrated.indexes.filter(
      (i) => !expected.has(i.def) && !/ WHERE /.test(i.def),
    ),
  };
}

describe('schema.prisma and the migrations agree', () => {
  let engine: SchemaEngineSession;
  let schema: string;
  beforeAll(async () => {
    engine = await openSchemaEngine(testServer().adminUrl);
    schema = await fs.readFile(schemaPath, 'utf8');
  });
  afterAll(async () => {
    await engine?.close();
  });

  test('the snapshot of the newest migration equals schema.prisma', async () => {
    const snapshot = await fs.readFile(path.join(defaultMigrationsDir, snapshotFileName), 'utf8');
    const sql = await engine.diff(
      { kind: 'schema', path: snapshotFileName, content: snapshot },
      { kind: 'schema', path: 'schema.prisma', content: schema },
    );
    expect(sql, 'schema.prisma changed without a migration: run `npm run migration:new -- <name>`').toBe('');
  });

  test('a migrated database has the shape schema.prisma describes', async ({ db }) => {
    const built = await databaseFromSchema(engine, schema);
    try {
      const migrated = await describeSchema(db.url);
      expect(compare(migrated, built.shape)).toEqual({
        columns: built.shape.columns,
        enums: built.shape.enums,
        constraints: built.shape.constraints,
        indexes: built.shape.indexes.map((i) => i.def),
        extraIndexesThatAreNotPartial: [],
      });
      // The hand-written part is really there.
      expect(migrated.indexes.map((i) => i.name)).toContain('events_workspace_id_seq_key');
    } finally {
      await built.drop();
    }
  });

  test('the comparison notices a schema change that no migration carries', async ({ db }) => {
    const changed = schema.replace(/(model Workspace \{\n)/, '$1  region String @default("eu")\n');
    expect(changed).not.toBe(schema);
    const built = await databaseFromSchema(engine, changed);
    try {
      const migrated = await describeSchema(db.url);
      expect(compare(migrated, built.shape).columns).not.toEqual(built.shape.columns);
    } finally {
      await built.drop();
    }
  });
});
