// A transition pipelines its statements (BEGIN with the lock, the fence and the step states; the write
// with COMMIT): what it reads is the run under its lock, a failed write commits nothing and leaves the
// connection fit for the next transition, and a broken fence writes nothing.
import { randomUUID } from 'node:crypto';
import type { StepWrite } from '@sluice/engine';
import { describe, expect } from 'vitest';
import { type TestDatabase, test } from '../testing';
import { openPgStore, type PgStore } from './pg-store';
import { newRunRow, seedVersion } from './test-seed';

const step = (nodeId: string, status: StepWrite['status']): StepWrite => ({
  nodeId,
  status,
  attempt: status === 'pending' ? 0 : 1,
  output: null,
  error: null,
  ports: [],
});

async function runningRun(store: PgStore, db: TestDatabase): Promise<string> {
  const seeded = await seedVersion(db);
  const runId = randomUUID();
  const started = await store.startRun({
    run: newRunRow(seeded, 'running', runId),
    steps: [step('a', 'ready'), step('b', 'pending')],
    events: [
      {
        type: 'run.started',
        payload: {
          workflowId: 'w',
          workflowVersionId: seeded.versionId,
          version: 1,
          inputHash: 'b'.repeat(64),
          runKey: null,
          parentRunId: null,
        },
      },
    ],
    readyWork: false,
  });
  expect(started.created).toBe(true);
  return runId;
}

async function eventCount(db: TestDatabase, runId: string): Promise<number> {
  const [row] = await db.prisma.$queryRaw<
    [{ n: bigint }]
  >`SELECT count(*) AS n FROM events WHERE run_id = ${runId}`;
  return Number(row.n);
}

describe('a transition', () => {
  test('reads the run and its step states under the lock, and commits its write', async ({ db }) => {
    const store = await openPgStore({ url: db.url, poolSize: 1 });
    try {
      const runId = await runningRun(store, db);
      const result = await store.transition(runId, {}, async (tx) => {
        expect(tx.run).toMatchObject({ id: runId, status: 'running', lastSeq: 1 });
        expect(await tx.steps()).toEqual(
          [
            { nodeId: 'a', status: 'ready', attempt: 1, ports: [] },
            { nodeId: 'b', status: 'pending', attempt: 0, ports: [] },
          ].sort((x, y) => (x.nodeId < y.nodeId ? -1 : 1)),
        );
        return { steps: [{ ...step('a', 'succeeded'), output: { ok: true } }], events: [] };
      });
      expect(result.status).toBe('committed');
      const steps = await store.getSteps(runId);
      expect(steps.find((s) => s.nodeId === 'a')).toMatchObject({
        status: 'succeeded',
        output: { ok: true },
      });
    } finally {
      await store.close();
    }
  });

  test('whose write fails commits nothing, and the same connection serves the next one', async ({ db }) => {
    const store = await openPgStore({ url: db.url, poolSize: 1 });
    try {
      const runId = await runningRun(store, db);
      const before = await eventCount(db, runId);
      const bogus = { ...step('a', 'succeeded'), status: 'no such status' } as unknown as StepWrite;
      await expect(
        store.transition(runId, {}, async () => ({
          steps: [bogus],
          events: [
            {
              type: 'step.succeeded',
              payload: { nodeId: 'a', attempt: 1, outputHash: 'c'.repeat(64), ports: [], durationMs: 1 },
            },
          ],
        })),
      ).rejects.toThrow(/step_status/);
      expect(await eventCount(db, runId)).toBe(before);
      expect((await store.getRun(runId))?.lastSeq).toBe(1);

      const next = await store.transition(runId, {}, async () => ({
        steps: [step('a', 'succeeded')],
        events: [],
      }));
      expect(next.status).toBe('committed');
      expect((await store.getSteps(runId)).find((s) => s.nodeId === 'a')?.status).toBe('succeeded');
    } finally {
      await store.close();
    }
  });

  test('behind a fence that does not hold writes nothing; of a run that is not there finds it missing', async ({
    db,
  }) => {
    const store = await openPgStore({ url: db.url, poolSize: 1 });
    try {
      const runId = await runningRun(store, db);
      let decided = false;
      const fenced = await store.transition(
        runId,
        { fence: { runId, nodeId: 'a', leaseToken: 'not the holder' } },
        async () => ((decided = true), { steps: [step('a', 'succeeded')], events: [] }),
      );
      expect(fenced.status).toBe('fenced');
      expect(decided).toBe(false);
      expect((await store.getSteps(runId)).find((s) => s.nodeId === 'a')?.status).toBe('ready');
      expect((await store.transition(randomUUID(), {}, async () => null)).status).toBe('missing');
      expect((await store.transition(runId, {}, async () => null)).status).toBe('unchanged');
    } finally {
      await store.close();
    }
  });
});
