import type { RunEventDraft } from '@sluice/engine';
import { describe, expect } from 'vitest';
import { DurabilityError } from '../database';
import { createTestDatabase, test } from '../testing';
import { openPgStore } from './pg-store';
import { newRunRow, seedVersion } from './test-seed';

const started: RunEventDraft = {
  type: 'run.started',
  payload: {
    workflowId: 'w',
    workflowVersionId: 'v',
    version: 1,
    inputHash: 'a'.repeat(64),
    runKey: null,
    parentRunId: null,
  },
};

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

  test('tells other processes of new runs once they are committed, and wakes their workers for ready steps', async ({
    db,
  }) => {
    const seeded = await seedVersion(db);
    const store = await openPgStore({ url: db.url });
    const heads: string[] = [];
    let wakeUps = 0;
    const stop = await store.listen({
      events: (runId, lastSeq) => heads.push(`${runId}:${lastSeq}`),
      ready: () => wakeUps++,
    });
    try {
      const finished = newRunRow(seeded, 'succeeded');
      await store.startRun({ run: finished, steps: [], events: [started], readyWork: false });
      for (let i = 0; i < 100 && heads.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
      expect(heads).toEqual([`${finished.id}:1`]);
      const { rows } = await store.pool.query('SELECT count(*)::int AS n FROM runs WHERE id = $1', [
        finished.id,
      ]);
      expect(rows[0].n).toBe(1);
      expect(wakeUps).toBe(0);

      const running = newRunRow(seeded, 'running');
      await store.startRun({
        run: running,
        steps: [{ nodeId: 'a', status: 'ready', attempt: 1, output: null, error: null, ports: [] }],
        events: [started, { ...started }],
        readyWork: true,
      });
      for (let i = 0; i < 100 && wakeUps < 1; i++) await new Promise((r) => setTimeout(r, 20));
      expect(wakeUps).toBe(1);
      expect(heads).toEqual([`${finished.id}:1`, `${running.id}:2`]);
    } finally {
      await stop();
      await store.close();
    }
  });
});
