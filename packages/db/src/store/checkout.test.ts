import pg from 'pg';
import { describe, expect } from 'vitest';
import { test } from '../testing';
import { checkout } from './checkout';

describe('checkout', () => {
  test('a held connection the server drops fails its statement, is discarded, and nothing is left unhandled', async ({
    db,
  }) => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    pool.on('error', () => undefined); // as the store's pool: an idle connection's failure is logged
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const { client, release } = await checkout(pool);
      try {
        await client.query('BEGIN');
        const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
        // Dropped between two statements, while checked out: the pool does not listen then. Without
        // checkout's listener the client's 'error' event would be unhandled and fail this test run.
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        // Refused by the server's goodbye, then by the client itself once it has heard of the end (and
        // emitted 'error'): only then is the connection released.
        for (let i = 0; ; i++) {
          const refusal = await client.query('SELECT 1').then(
            () => 'answered',
            (error: Error) => error.message,
          );
          expect(refusal).toMatch(/terminat|not queryable/);
          if (/not queryable/.test(refusal) || i === 100) break;
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        release();
      }
      // Discarded, whether its end arrived before the release or after it (then as an idle one).
      for (let i = 0; i < 100 && pool.totalCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(pool.totalCount).toBe(0);
      // The pool goes on with a fresh connection.
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await pool.end();
    }
  });

  test('a healthy connection goes back to the pool', async ({ db }) => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      const first = await checkout(pool);
      const pid = (await first.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      first.release();
      const second = await checkout(pool);
      const again = (await second.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]
        ?.pid;
      second.release();
      expect(again).toBe(pid);
      expect(first.client.listenerCount('error')).toBe(1); // the pool's own idle listener, not ours
    } finally {
      await pool.end();
    }
  });
});
