// What the global setup hands to test files through vitest's provide/inject.
declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a database on the test server whose user may create databases (`postgres`). */
    sluiceDbAdminUrl: string;
    /** Name of the migrated template database each test database is cloned from. */
    sluiceDbTemplate: string;
  }
}

/** `url` with its database name replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** A database name no other test process will pick: pid plus randomness. */
export function uniqueDatabaseName(prefix: string): string {
  const random = Math.random().toString(36).slice(2, 10);
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${random}`;
}
