import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import type { RunEvent } from '../src/index.js';
import { openPgStore } from '@sluice/db';
import { executorRegistry } from '@sluice/nodes/server';
import { createEngine } from '../src/index.js';
import { flow, httpConfig, scripted, seed, sleep, startEngine } from './support.js';

/** trigger → three http steps (a, b, c), each run by a worker → output. */
const threeSteps = () =>
  flow().http('a', httpConfig).http('b', httpConfig).http('c', httpConfig).output('done', {});

/** The http executor of {@link threeSteps}: each step answers after `ms`. */
function stepsTaking(ms: number) {
  const answer = async () => (ms > 0 && (await sleep(ms)), { output: { ok: true } });
  return scripted({ a: answer, b: answer, c: answer });
}

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('live events', () => {
  test('subscribers here and in another process get every event once, in order, resuming from a seq', async ({
    db,
  }) => {
    const s = await seed(db, threeSteps());
    const worker = await startEngine(db, [stepsTaking(50)]);
    const other = await startEngine(db, [], { workers: false });
    try {
      const run = await worker.engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      const here = collect(worker.engine.subscribe(run.runId, { untilFinished: true }));
      await sleep(60);
      const there = collect(other.engine.subscribe(run.runId, { afterSeq: 2, untilFinished: true }));
      const [mine, theirs] = await Promise.all([here, there]);
      const stored = await worker.store.readEvents(run.runId, 0);
      expect(stored.at(-1)?.type).toBe('run.succeeded');
      expect(mine.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
      expect(theirs.map((e) => e.seq)).toEqual(stored.slice(2).map((e) => e.seq));
      expect(theirs).toEqual(stored.slice(2));

      // After the run: the replay alone, then the iteration ends.
      const late = await collect(other.engine.subscribe(run.runId, { afterSeq: 0, untilFinished: true }));
      expect(late).toEqual(stored);
    } finally {
      await other.close();
      await worker.close();
    }
  });

  test('waitForRun resolves in a process that did not run the steps', async ({ db }) => {
    const s = await seed(db, flow().http('a', httpConfig).output('done', {}));
    const worker = await startEngine(db, [
      scripted({ a: async () => (await sleep(100), { output: { v: 1 } }) }),
    ]);
    const other = await startEngine(db, [], { workers: false });
    try {
      const run = await other.engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      expect(run.status).toBe('running');
      const done = await other.engine.waitForRun(run.runId, { timeoutMs: 10_000 });
      expect(done).toMatchObject({ status: 'succeeded', output: { v: 1 } });
      await expect(other.engine.waitForRun('no-such-run')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    } finally {
      await other.close();
      await worker.close();
    }
  });

  test('live-only news of a running step reaches listeners in this and another process, in order', async ({
    db,
  }) => {
    const s = await seed(db, flow().http('talk', httpConfig).output('done', {}));
    const words = Array.from({ length: 40 }, (_, i) => `w${i} `);
    const { engine, close } = await startEngine(db, [
      scripted({
        talk: async (ctx) => {
          for (const word of words) {
            ctx.stream({ kind: 'text', delta: word });
            await sleep(2);
          }
          await sleep(200);
          return { output: { text: words.join('') } };
        },
      }),
    ]);
    const other = await startEngine(db, [], { workers: false });
    try {
      const here: string[] = [];
      const there: string[] = [];
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      const stopHere = engine.onLive(run.runId, (m) => m.chunk.kind === 'text' && here.push(m.chunk.delta));
      const stopThere = other.engine.onLive(run.runId, (m) => {
        if (m.chunk.kind === 'text') there.push(m.chunk.delta);
      });
      await engine.waitForRun(run.runId, { timeoutMs: 10_000 });
      stopHere();
      stopThere();
      expect(here.join('')).toBe(words.join(''));
      expect(there.join('')).toBe(words.join(''));
    } finally {
      await other.close();
      await close();
    }
  });

  test('resuming after the last event of a finished run ends at once', async ({ db }) => {
    const s = await seed(
      db,
      flow()
        .transform('t', { mapping: { n: 'input.n' } })
        .output('done', {}),
    );
    const { engine, close } = await startEngine(db);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      const done = await engine.waitForRun(run.runId);
      const rest = await collect(
        engine.subscribe(run.runId, { afterSeq: done.lastSeq, untilFinished: true }),
      );
      expect(rest).toEqual([]);
      const all = await collect(engine.subscribe(run.runId, { afterSeq: 0, untilFinished: true }));
      expect(all.at(-1)?.seq).toBe(done.lastSeq);
    } finally {
      await close();
    }
  });

  test('run activity reaches listeners in the committing process and in another one', async ({ db }) => {
    const s = await seed(db, flow().http('a', httpConfig).output('done', {}));
    const worker = await startEngine(db, [scripted({ a: async () => ({ output: { ok: true } }) })]);
    const other = await startEngine(db, [], { workers: false });
    const here = new Set<string>();
    const there = new Set<string>();
    const stopHere = worker.engine.onRunActivity((runId) => here.add(runId));
    const stopThere = other.engine.onRunActivity((runId) => there.add(runId));
    try {
      const run = await other.engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      await other.engine.waitForRun(run.runId, { timeoutMs: 10_000 });
      for (let i = 0; i < 100 && !there.has(run.runId); i++) await sleep(20);
      expect(here).toEqual(new Set([run.runId]));
      expect(there).toEqual(new Set([run.runId]));
      stopThere();
      there.clear();
      const second = await worker.engine.startRun({ workflowVersionId: s.versionId, input: { n: 2 } });
      await worker.engine.waitForRun(second.runId, { timeoutMs: 10_000 });
      await sleep(100);
      expect(here.has(second.runId)).toBe(true);
      expect(there.size).toBe(0);
    } finally {
      stopHere();
      await other.close();
      await worker.close();
    }
  });

  test('in batches: every event once, in order; a slow consumer gets what piled up at once', async ({
    db,
  }) => {
    const s = await seed(db, threeSteps());
    const { engine, store, close } = await startEngine(db, [stepsTaking(0)]);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      const batches: number[][] = [];
      for await (const batch of engine.subscribeBatches(run.runId, { untilFinished: true, maxBatch: 4 })) {
        batches.push(batch.map((event) => event.seq));
        await sleep(150); // the run goes on meanwhile
      }
      const stored = await store.readEvents(run.runId, 0);
      expect(stored.at(-1)?.type).toBe('run.succeeded');
      expect(batches.flat()).toEqual(stored.map((e) => e.seq));
      expect(batches.some((batch) => batch.length > 1)).toBe(true);
      expect(batches.every((batch) => batch.length >= 1 && batch.length <= 4)).toBe(true);
      // Resuming in batches after a seq, from the log, ends after the final event.
      const rest: number[] = [];
      for await (const batch of engine.subscribeBatches(run.runId, { afterSeq: 2, untilFinished: true })) {
        rest.push(...batch.map((event) => event.seq));
      }
      expect(rest).toEqual(stored.slice(2).map((e) => e.seq));
    } finally {
      await close();
    }
  });

  test("another process's news of many runs is read a few runs at a time, one read in flight", async ({
    db,
  }) => {
    const s = await seed(db, threeSteps());
    const worker = await startEngine(db, [stepsTaking(0)]);
    // The other process reads through a slow store: notifications pile up while a read is out.
    const store = await openPgStore({ url: db.url });
    const reads: number[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const slowReads = new Proxy(store, {
      get(target, key, receiver) {
        if (key !== 'readEventsOfRuns') return Reflect.get(target, key, receiver);
        return async (afterSeqs: ReadonlyMap<string, number>, limit: number) => {
          inFlight += 1;
          mostInFlight = Math.max(mostInFlight, inFlight);
          reads.push(afterSeqs.size);
          try {
            await sleep(100);
            return await target.readEventsOfRuns(afterSeqs, limit);
          } finally {
            inFlight -= 1;
          }
        };
      },
    });
    const other = createEngine({ store: slowReads, executors: executorRegistry([]), workers: false });
    await other.start();
    try {
      const runs = await Promise.all(
        Array.from({ length: 30 }, (_, n) =>
          other.startRun({ workflowVersionId: s.versionId, input: { n } }),
        ),
      );
      // Two subscribers a run, from the start: the second of each gets the same reads.
      const seen = runs.flatMap((run) =>
        [0, 1].map(() => collect(other.subscribe(run.runId, { untilFinished: true }))),
      );
      const got = await Promise.all(seen);
      for (const [i, run] of runs.entries()) {
        const stored = await store.readEvents(run.runId, 0);
        expect(stored.at(-1)?.type).toBe('run.succeeded');
        expect(got[2 * i]).toEqual(stored);
        expect(got[2 * i + 1]).toEqual(stored);
      }
      expect(mostInFlight).toBe(1);
      expect(Math.max(...reads)).toBeGreaterThan(1);
    } finally {
      await other.stop({ graceMs: 1_000 });
      await store.close();
      await worker.close();
    }
  });
});
