// A wait reopened by a new attempt (a rerun reached its gate again) keeps the attempt it replaced, as
// stored (ciphertext when sealed), for the reviewer's diff; reopening the same attempt keeps it as is.
// The engine's own read of a wait carries the replaced attempt, opened.
import { randomBytes, randomUUID } from 'node:crypto';
import type { WaitWrite } from '@sluice/engine';
import { describe, expect } from 'vitest';
import { type TestDatabase, test } from '../testing';
import { createDataSealer, SealedJson } from '../vault/data-sealer';
import { openPgStore, type PgStore } from './pg-store';
import { toWaitRecord, type WaitRow } from './rows';
import { newRunRow, seedVersion } from './test-seed';

const hashOf = (c: string) => c.repeat(64);

function open(attempt: number, payload: unknown, hash: string, sealed = false): WaitWrite {
  return {
    op: 'open',
    nodeId: 'approve',
    kind: 'gate',
    attempt,
    payload,
    payloadHash: hash,
    request: {},
    expiresAt: null,
    sealed,
  };
}

/** Starts a run whose gate waits with `first` (attempt 1). */
async function waitingRun(
  store: PgStore,
  seeded: { workspaceId: string; versionId: string },
  first: WaitWrite,
) {
  const runId = randomUUID();
  const started = await store.startRun({
    run: newRunRow(seeded, 'waiting', runId),
    steps: [{ nodeId: 'approve', status: 'waiting', attempt: 1, output: null, error: null, ports: [] }],
    events: [],
    waits: [first],
    readyWork: false,
  });
  expect(started.created).toBe(true);
  return runId;
}

async function reopen(store: PgStore, runId: string, write: WaitWrite) {
  const result = await store.transition(runId, {}, async () => ({ steps: [], events: [], waits: [write] }));
  expect(result.status).toBe('committed');
}

async function row(db: TestDatabase, runId: string) {
  const rows = await db.prisma.$queryRaw<WaitRow[]>`SELECT * FROM waits WHERE run_id = ${runId}`;
  expect(rows).toHaveLength(1);
  const [first] = rows;
  if (!first) throw new Error(`run ${runId} has no wait`);
  return toWaitRecord(first);
}

describe('a wait reached again', () => {
  test('a new attempt keeps the one it replaced; the same attempt reopened keeps what was kept', async ({
    db,
  }) => {
    const store = await openPgStore({ url: db.url });
    try {
      const runId = await waitingRun(store, await seedVersion(db), open(1, { amount: 10 }, hashOf('1')));
      expect((await row(db, runId)).previous).toBeNull();

      await reopen(store, runId, open(2, { amount: 12 }, hashOf('2')));
      expect(await row(db, runId)).toMatchObject({
        attempt: 2,
        payload: { amount: 12 },
        previous: { attempt: 1, payload: { amount: 10 }, payloadHash: hashOf('1') },
      });

      // The same attempt opened again (e.g. its step ran again after a lost lease): nothing shifts.
      await reopen(store, runId, open(2, { amount: 13 }, hashOf('3')));
      expect(await row(db, runId)).toMatchObject({
        attempt: 2,
        payload: { amount: 13 },
        previous: { attempt: 1, payload: { amount: 10 }, payloadHash: hashOf('1') },
      });

      await reopen(store, runId, open(3, { amount: 14 }, hashOf('4')));
      const previous = { attempt: 2, payload: { amount: 13 }, payloadHash: hashOf('3') };
      expect((await row(db, runId)).previous).toEqual(previous);
      // The engine's own read carries it too.
      expect((await store.getWait(runId, 'approve'))?.previous).toEqual(previous);
    } finally {
      await store.close();
    }
  });

  test('a sealed payload is kept as the ciphertext it was stored as', async ({ db }) => {
    const sealer = createDataSealer({ prisma: db.prisma, masterKey: randomBytes(32) });
    const store = await openPgStore({ url: db.url, sealer });
    try {
      const seeded = await seedVersion(db);
      const secret = `iban-${randomUUID()}`;
      const runId = await waitingRun(store, seeded, open(1, { iban: secret }, hashOf('1'), true));
      const stored = (await row(db, runId)).payload;
      await reopen(store, runId, open(2, { iban: 'another' }, hashOf('2'), true));

      const now = await row(db, runId);
      expect(now.previous?.payload).toEqual(stored);
      expect(sealer.isSealed(now.previous?.payload)).toBe(true);
      expect(JSON.stringify(now)).not.toContain(secret);
      expect(await sealer.open(seeded.workspaceId, SealedJson.parse(now.previous?.payload))).toEqual({
        iban: secret,
      });
      // The engine reads both attempts' payloads opened.
      const read = await store.getWait(runId, 'approve');
      expect(read?.payload).toEqual({ iban: 'another' });
      expect(read?.previous).toEqual({ attempt: 1, payload: { iban: secret }, payloadHash: hashOf('1') });
    } finally {
      await store.close();
    }
  });
});
