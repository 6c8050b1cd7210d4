import type { Database } from '@sluice/db';

/** What every procedure sees. Later issues add the signed-in member and their workspace. */
export interface Context {
  db: Database;
}

export function createContextFactory(db: Database): () => Context {
  return () => ({ db });
}
