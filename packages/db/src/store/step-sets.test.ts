// A run that finishes in the commit that starts it keeps its steps as one step set: read back as the
// same steps a row per step gives, moved into rows by the first transition that touches the run, and
// deleted with the run.
import { randomUUID } from 'node:crypto';
import type { NewRun, StepWrite } from '@sluice/engine';
import { describe, expect } from 'vitest';
import { type TestDatabase, test } from '../testing';
import { verifyAudit } from './audit';
import { openPgStore, type PgStore, type PgStoreOptions } from './pg-store';
import { joinJsonTexts } from './rows';
import { readRunStep, readRunSteps } from './run-steps';
import { newRunRow, seedVersion } from './test-seed';

const settled: StepWrite[] = [
  { nodeId: 'trigger', status: 'succeeded', attempt: 1, output: { n: 1 }, error: null, ports: ['out'] },
  {
    nodeId: 'check',
    status: 'succeeded',
    attempt: 1,
    output: { n: 2 },
    error: null,
    ports: ['out'],
    meta: {
      findings: [
        {
          nodeId: 'check',
          check: 'rule',
          name: 'n-limit',
          severity: 'low',
          path: '$.n',
          message: 'close to the limit',
          action: 'flag',
        },
      ],
    },
  },
  { nodeId: 'other', status: 'skipped', attempt: 0, output: null, error: null, ports: [] },
  { nodeId: 'done', status: 'succeeded', attempt: 1, output: { n: 2 }, error: null, ports: [] },
];

async function start(store: PgStore, db: TestDatabase, status: 'succeeded' | 'running'): Promise<string> {
  const seeded = await seedVersion(db);
  const runId = randomUUID();
  const run: NewRun = {
    run: { ...newRunRow(seeded, status, runId), output: status === 'succeeded' ? { n: 2 } : null },
    steps: status === 'succeeded' ? settled : [...settled.slice(0, 3), { ...settled[3]!, status: 'ready' }],
    events: [],
    readyWork: false,
  };
  expect((await store.startRun(run)).created).toBe(true);
  return runId;
}

/** Runs `body` with a store on the test database, closing it after. */
async function withStore<T>(
  db: TestDatabase,
  options: Omit<PgStoreOptions, 'url'>,
  body: (store: PgStore) => Promise<T>,
): Promise<T> {
  const store = await openPgStore({ url: db.url, ...options });
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

async function kept(db: TestDatabase, runId: string): Promise<{ rows: number; sets: number }> {
  const [rows, sets] = await Promise.all([
    db.prisma.step.count({ where: { runId } }),
    db.prisma.stepSet.count({ where: { runId } }),
  ]);
  return { rows, sets };
}

describe('step sets', () => {
  test('a run finished at its start keeps one row, read back as every step', async ({ db }) => {
    await withStore(db, {}, async (store) => {
      const runId = await start(store, db, 'succeeded');
      expect(await kept(db, runId)).toEqual({ rows: 0, sets: 1 });
      const steps = await store.getSteps(runId);
      expect(steps.map((s) => [s.nodeId, s.status, s.attempt, s.output, s.ports])).toEqual([
        ['check', 'succeeded', 1, { n: 2 }, ['out']],
        ['done', 'succeeded', 1, { n: 2 }, []],
        ['other', 'skipped', 0, null, []],
        ['trigger', 'succeeded', 1, { n: 1 }, ['out']],
      ]);
      expect(steps.find((s) => s.nodeId === 'check')?.meta?.findings).toHaveLength(1);
      // Settled steps started and finished in the commit; a skipped one finished without starting.
      const check = steps.find((s) => s.nodeId === 'check');
      expect(check?.startedAt).toBeInstanceOf(Date);
      expect(check?.finishedAt?.getTime()).toBe(check?.startedAt?.getTime());
      const other = steps.find((s) => s.nodeId === 'other');
      expect([other?.startedAt, other?.finishedAt instanceof Date]).toEqual([null, true]);

      // The API's readers see the same steps.
      expect((await readRunSteps(db.prisma, runId)).map((s) => s.nodeId).sort()).toEqual(
        steps.map((s) => s.nodeId),
      );
      expect(await readRunStep(db.prisma, runId, 'done')).toMatchObject({
        runId,
        nodeId: 'done',
        status: 'succeeded',
        output: { n: 2 },
        input: null,
      });
      expect(await readRunStep(db.prisma, runId, 'nowhere')).toBeNull();
    });
  });

  test('a run still going keeps a row per step', async ({ db }) => {
    await withStore(db, {}, async (store) => {
      const runId = await start(store, db, 'running');
      expect(await kept(db, runId)).toEqual({ rows: 4, sets: 0 });
      expect((await readRunStep(db.prisma, runId, 'done'))?.status).toBe('ready');
    });
  });

  test('the first transition that touches the run moves its steps into rows, under the lock', async ({
    db,
  }) => {
    await withStore(db, { poolSize: 1 }, async (store) => {
      const runId = await start(store, db, 'succeeded');
      const before = await store.getSteps(runId);
      const result = await store.transition(runId, {}, async (tx) => {
        expect((await tx.steps()).map((s) => [s.nodeId, s.status])).toEqual(
          before.map((s) => [s.nodeId, s.status]),
        );
        expect((await tx.outputs(['check'])).get('check')).toEqual({
          output: { n: 2 },
          findings: settled[1]?.meta?.findings,
        });
        return { steps: [{ ...settled[3]!, status: 'pending', attempt: 0, output: null }], events: [] };
      });
      expect(result.status).toBe('committed');
      expect(await kept(db, runId)).toEqual({ rows: 4, sets: 0 });
      const after = await store.getSteps(runId);
      expect(after.find((s) => s.nodeId === 'done')?.status).toBe('pending');
      // The others are as they were, timestamps included.
      const unchanged = (steps: typeof before) =>
        steps.filter((s) => s.nodeId !== 'done').map((s) => ({ ...s, availableAt: undefined }));
      expect(unchanged(after)).toEqual(unchanged(before));
    });
  });

  test('a transition that writes nothing leaves the step set as it was', async ({ db }) => {
    await withStore(db, { poolSize: 1 }, async (store) => {
      const runId = await start(store, db, 'succeeded');
      expect((await store.transition(runId, {}, async () => null)).status).toBe('unchanged');
      expect(await kept(db, runId)).toEqual({ rows: 0, sets: 1 });
    });
  });

  test('control characters in step data and event payloads are stored as sent', async ({ db }) => {
    // The statement carries step sets and payloads as JSON texts joined by U+001E (sql.ts).
    const tricky = 'a\u001eb\u0001c\n\u001f 🐟 \\u001e';
    await withStore(db, {}, async (store) => {
      const seeded = await seedVersion(db);
      const runIds = [randomUUID(), randomUUID(), randomUUID()];
      await Promise.all(
        runIds.map((runId, i) =>
          store.startRun({
            run: { ...newRunRow(seeded, 'succeeded', runId), output: { text: tricky } },
            steps: settled.map((step) =>
              step.nodeId === 'done' ? { ...step, output: { text: tricky, i } } : step,
            ),
            events: [{ type: 'run.cancelled', payload: { reason: `${tricky} ${i}` } }],
            readyWork: false,
          }),
        ),
      );
      for (const [i, runId] of runIds.entries()) {
        expect(await kept(db, runId)).toEqual({ rows: 0, sets: 1 });
        const done = (await store.getSteps(runId)).find((s) => s.nodeId === 'done');
        expect(done?.output).toEqual({ text: tricky, i });
        const events = await db.prisma.event.findMany({ where: { runId } });
        expect(events.map((e) => e.payload)).toEqual([{ reason: `${tricky} ${i}` }]);
      }
      expect((await verifyAudit(db.url)).breaks).toEqual([]);
    });
  });

  test('runs kept as step sets share batches by what they cost, not by their step count', async ({ db }) => {
    const seeded = await seedVersion(db);
    const hundred: StepWrite[] = Array.from({ length: 100 }, (_, i) => ({
      nodeId: `t${i}`,
      status: 'succeeded',
      attempt: 1,
      output: { n: i },
      error: null,
      ports: ['out'],
    }));
    const starts = (status: 'succeeded' | 'running') =>
      Array.from({ length: 20 }, (): NewRun => {
        const runId = randomUUID();
        return {
          run: { ...newRunRow(seeded, status, runId), output: status === 'succeeded' ? { n: 99 } : null },
          steps: status === 'succeeded' ? hundred : hundred.map((step) => ({ ...step, status: 'ready' })),
          events: [],
          readyWork: false,
        };
      });
    // Queued together, so that the batches are cut by weight alone (one in flight at a time).
    const batchesFor = (runs: NewRun[]) =>
      withStore(db, { groupCommit: { maxInFlight: 1 } }, async (store) => {
        await Promise.all(runs.map((run) => store.startRun(run)));
        return store.startStats().batches;
      });
    // 20 runs of 101 steps: as rows, five to a batch; as step sets, all in two.
    expect(await batchesFor(starts('running'))).toBe(4);
    expect(await batchesFor(starts('succeeded'))).toBe(2);
  });

  test('a text holding a raw U+001E is refused rather than split', () => {
    expect(joinJsonTexts(['{"a":1}', '[2]'])).toBe('{"a":1}\u001e[2]');
    expect(() => joinJsonTexts(['"a\u001eb"'])).toThrow(/U\+001E/);
  });

  test('deleting the run deletes its step set', async ({ db }) => {
    await withStore(db, {}, async (store) => {
      const runId = await start(store, db, 'succeeded');
      await db.prisma.run.delete({ where: { id: runId } });
      expect(await kept(db, runId)).toEqual({ rows: 0, sets: 0 });
    });
  });
});
