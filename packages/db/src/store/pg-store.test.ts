import { describe, expect } from 'vitest';
import { DurabilityError } from '../database';
import { createTestDatabase, test } from '../testing';
import { openPgStore } from './pg-store';
import { newRunRow } from './test-seed';

describe('the engine store', () => {
  test('refuses a database whose sessions do not wait for commits to reach disk', async () => {
    const scratch = await createTestDatabase();
    try {
      const store = await openPgStore({ url: scratch.url });
      await store.close();
      const admin = await openPgStore({ url: scratch.url });
      await admin.pool.query(`ALTER DATABASE "${scratch.name}" SET synchronous_commit = off`);
      await admin.close();
      await expect(openPgStore({ url: scratch.url })).rejects.toBeInstanceOf(DurabilityError);
      await expect(openPgStore({ url: scratch.url })).rejects.toThrow(/synchronous_commit = off/);
    } finally {
      await scratch.drop();
    }
  });

  test('refuses new starts once closed', async ({ db }) => {
    const store = await openPgStore({ url: db.url });
    await store.close();
    await expect(
      store.startRun({
        run: newRunRow({ workspaceId: 'w', versionId: 'v' }, 'running', 'r'),
        steps: [],
        events: [],
        readyWork: false,
      }),
    ).rejects.toThrow(/closed/);
  });
});
