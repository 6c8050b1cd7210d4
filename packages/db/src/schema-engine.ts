// Prisma's schema engine compiled to WebAssembly, for authoring migration SQL and for the drift
// test. The Prisma CLI cannot migrate here (it downloads a native engine); this runs offline.
// Dev-time only: the server never loads it.
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';

/** One side of a diff: nothing, or the text of a Prisma schema. */
export type SchemaSource = { kind: 'empty' } | { kind: 'schema'; path: string; content: string };

export interface SchemaEngineSession {
  /** The SQL that takes a database shaped like `from` to the shape of `to`; '' when they agree. */
  diff(from: SchemaSource, to: SchemaSource): Promise<string>;
  close(): Promise<void>;
}

// Our compile target (ES2024 lib, Node types) declares no `WebAssembly` global; this is the part we use.
interface WasmApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, Record<string, unknown>>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const wasmApi: WasmApi = Reflect.get(globalThis, 'WebAssembly');

let wasmReady: Promise<void> | undefined;
let lastPanic = '';

/**
 * Instantiates the WASM module by hand rather than through an ESM `.wasm` import, which tsx and
 * vitest do not load.
 */
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    // The engine reports panics through this global before it throws.
    Object.assign(globalThis, {
      PRISMA_WASM_PANIC_REGISTRY: { set_message: (m: string) => (lastPanic = m) },
    });
    const require = createRequire(import.meta.url);
    const bgFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await fs.readFile(path.join(path.dirname(bgFile), 'schema_engine_bg.wasm'));
    const { instance } = await wasmApi.instantiate(bytes, { './schema_engine_bg.js': { ...bg } });
    bg.__wbg_set_wasm(instance.exports);
    const start = instance.exports.__wbindgen_start;
    if (typeof start === 'function') start();
  })();
  return wasmReady;
}

/**
 * Opens the schema engine. It insists on a reachable PostgreSQL even for diffs between schema files
 * (it asks the server's version), so it needs a URL; it changes nothing in that database.
 *
 * @example
 * const engine = await openSchemaEngine(url);
 * try {
 *   const sql = await engine.diff({ kind: 'empty' }, { kind: 'schema', path: 'schema.prisma', content });
 * } finally {
 *   await engine.close();
 * }
 */
export async function openSchemaEngine(databaseUrl: string): Promise<SchemaEngineSession> {
  await loadWasm();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
  let engine: bg.SchemaEngine;
  try {
    engine = await bg.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
  } catch (error) {
    await pool.end();
    throw withPanic(error);
  }
  return {
    async diff(from, to) {
      try {
        const result = await engine.diff({
          from: target(from),
          to: target(to),
          script: true,
          exitCode: null,
          filters: { externalTables: [], externalEnums: [] },
        });
        const sql = result.stdout ?? '';
        return isEmptyScript(sql) ? '' : sql;
      } catch (error) {
        throw withPanic(error);
      }
    },
    async close() {
      engine.free();
      await pool.end();
    },
  };
}

function target(source: SchemaSource): bg.DiffTarget {
  return source.kind === 'empty'
    ? { tag: 'empty' }
    : { tag: 'schemaDatamodel', files: [{ path: source.path, content: source.content }] };
}

/** The engine answers an empty diff with a comment only. */
function isEmptyScript(sql: string): boolean {
  return sql
    .split('\n')
    .map((line) => line.trim())
    .every((line) => line === '' || line.startsWith('--'));
}

function withPanic(error: unknown): unknown {
  if (!lastPanic) return error;
  const message = `schema engine panicked: ${lastPanic}`;
  lastPanic = '';
  return new Error(message, { cause: error });
}
