// run.watch over real HTTP: a subscriber that drops its connection at random points during 200 runs
// and reconnects with the id of the last event it saw ends with every event of every run exactly
// once, in order. Disconnects are drawn from a seeded generator per run. A reconnect after a finished
// run's last event must end at once (the engine's subscription alone would wait for a terminal event
// it already delivered).
import { asDatabase, createWorkspaceFixture, type WorkspaceFixture } from '@sluice/api/testing';
import { openPgStore, type PgStore } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { createEngine, type Engine } from '@sluice/engine';
import { type NodeConfigInputs, registry } from '@sluice/nodes';
import { serverExecutors } from '@sluice/nodes/server';
import { workflow } from '@sluice/spec';
import { describe, expect } from 'vitest';
import { listenOnLoopback, type LoopbackServer, testApp } from './test-support';

const RUNS = 200;
const PARALLEL = 10;
const SEED = 0x5eed;

/** trigger → three transforms → output: each transform a step of its own, claimed by a worker. */
const chain = workflow<NodeConfigInputs>('watched chain')
  .owner('tests')
  .trigger({
    type: 'manual',
    input: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
  })
  .transform('a', { mapping: { n: 'input.n + 1' } })
  .transform('b', { mapping: { n: 'input.n * 2' } })
  .transform('c', { mapping: { n: 'input.n - 1' } })
  .output('done', {})
  .build(registry);

/**
 * The built-in executors, with transforms run by workers instead of inline, so that a run's events
 * arrive over time while it is watched rather than all in the transaction that starts it.
 */
function workerExecutors() {
  const executors = new Map(serverExecutors);
  const transform = executors.get('transform');
  if (!transform) throw new Error('no transform executor');
  executors.set('transform', { ...transform, pure: false });
  return executors;
}

/** mulberry32: a small seeded generator of floats in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SseMessage {
  event: string;
  id: string | null;
  data: string;
}

/** Splits an SSE byte stream into messages as they complete. */
async function* sseMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message: SseMessage = { event: 'message', id: null, data: '' };
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') message.event = value;
        else if (field === 'id') message.id = value;
        else if (field === 'data') message.data += message.data ? `\n${value}` : value;
      }
      yield message;
    }
  }
}

describe('run.watch with disconnects', () => {
  let acme: WorkspaceFixture;
  let versionId: string;
  let server: LoopbackServer;
  let store: PgStore;
  let engine: Engine;

  test.beforeAll(async ({ db }) => {
    acme = await createWorkspaceFixture(db, { slug: 'acme' });
    const version = await db.prisma.workflowVersion.create({
      data: {
        workflowId: acme.workflowId,
        version: 2,
        spec: JSON.parse(JSON.stringify(chain)),
        graph: {},
        hash: 'c'.repeat(64),
        publishedById: acme.users.owner.id,
      },
    });
    versionId = version.id;
    store = await openPgStore({ url: db.url });
    engine = createEngine({ store, executors: workerExecutors(), workers: { concurrency: 4 } });
    await engine.start();
    server = await listenOnLoopback((publicUrl) =>
      testApp(asDatabase(db), { publicUrl, services: { engine } }),
    );
  });
  test.afterAll(async () => {
    await server?.close();
    await engine?.stop();
    await store?.close();
  });

  test(
    `${RUNS} runs, random disconnects, every event exactly once and in order`,
    { timeout: 240_000 },
    async ({ db }) => {
      let reconnects = 0;

      /** Watches one run to its end, dropping the connection at random; returns the sequence seen. */
      async function watch(runId: string, random: () => number): Promise<number[]> {
        const seen: number[] = [];
        let lastEventId: string | null = null;
        for (let attempt = 0; attempt < 100; attempt++) {
          const abort = new AbortController();
          const input = { runId, ...(lastEventId ? { lastEventId } : {}) };
          const response = await fetch(
            `${server.url}/trpc/run.watch?input=${encodeURIComponent(JSON.stringify(input))}`,
            {
              headers: { authorization: `Bearer ${acme.token.secret}`, accept: 'text/event-stream' },
              signal: abort.signal,
            },
          );
          expect(response.status).toBe(200);
          if (!response.body) throw new Error('no body');
          // Some connections are dropped before any event, the rest after a random number of them.
          const dropAfter = random() < 0.15 ? 0 : Math.floor(random() * 4) + 1;
          let received = 0;
          let finished = false;
          try {
            for await (const message of sseMessages(response.body)) {
              if (message.event === 'serialized-error') throw new Error(`stream error: ${message.data}`);
              if (message.event === 'return') {
                finished = true;
                break;
              }
              if (message.event !== 'message' || message.id === null) continue;
              const event: { seq: number } = JSON.parse(message.data);
              expect(String(event.seq)).toBe(message.id);
              seen.push(event.seq);
              lastEventId = message.id;
              received += 1;
              if (received >= dropAfter && random() < 0.5) {
                abort.abort();
                break;
              }
            }
          } catch (error) {
            if (!abort.signal.aborted) throw error;
          }
          if (!abort.signal.aborted) abort.abort();
          if (finished) return seen;
          reconnects += 1;
        }
        throw new Error(`run ${runId}: no end after 100 connections`);
      }

      const results = new Map<string, number[]>();
      /** Runs still going when their watcher first connected: their events arrived live. */
      let inFlight = 0;
      let next = 0;
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          while (next < RUNS) {
            const n = (next += 1);
            const started = await engine.startRun({ workflowVersionId: versionId, input: { n } });
            if (!['succeeded', 'failed', 'cancelled'].includes(started.status)) inFlight += 1;
            // One generator per run: the same run number drops its connections at the same points.
            results.set(started.runId, await watch(started.runId, seeded(SEED + n)));
          }
        }),
      );

      expect(results.size).toBe(RUNS);
      expect(reconnects).toBeGreaterThan(RUNS / 2);
      expect(inFlight).toBeGreaterThan(RUNS / 2);
      const stored = await db.prisma.event.findMany({
        where: { runId: { in: [...results.keys()] } },
        orderBy: [{ runId: 'asc' }, { seq: 'asc' }],
        select: { runId: true, seq: true },
      });
      const expected = new Map<string, number[]>();
      for (const row of stored) {
        if (row.runId === null) continue;
        expected.set(row.runId, [...(expected.get(row.runId) ?? []), row.seq]);
      }
      for (const [runId, seen] of results) {
        expect(seen.length, runId).toBeGreaterThan(3);
        expect(seen, runId).toEqual(expected.get(runId));
      }
    },
  );
});
