// A pooled connection held across several statements (a transaction). While a connection is checked
// out the pool stops listening for its errors, so one the server drops between two statements (a
// restart, an administrator's pg_terminate_backend, a cut network) would raise an unhandled 'error'
// and bring the whole process down. Here the error is caught for the whole checkout, the statement
// in flight fails as usual, and the broken connection is discarded instead of going back to the pool.
import type pg from 'pg';

export interface CheckedOut {
  client: pg.PoolClient;
  /** Returns the connection to the pool, or destroys it if it (or `broken`) says it failed. */
  release(broken?: Error): void;
}

/**
 * @example
 * const { client, release } = await checkout(pool);
 * let broken: Error | undefined;
 * try { await client.query('BEGIN'); … } finally { release(broken); }
 */
export async function checkout(pool: pg.Pool): Promise<CheckedOut> {
  const client = await pool.connect();
  let failed: Error | undefined;
  const onError = (error: Error) => {
    failed ??= error;
  };
  client.on('error', onError);
  return {
    client,
    release(broken) {
      client.removeListener('error', onError);
      client.release(broken ?? failed);
    },
  };
}
