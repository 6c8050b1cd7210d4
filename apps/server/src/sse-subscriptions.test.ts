// The event-stream answer of subscriptions, against tRPC's own client (httpSubscriptionLink on an
// EventSource) over a real loopback server: values, tracked ids and resuming, errors with the
// router's shape, the end of a subscription, a client leaving, pings while idle. The protocol is
// tRPC's, so a client must see no difference from tRPC's own answer.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { trpcServer } from '@hono/trpc-server';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { initTRPC, tracked, TRPCError } from '@trpc/server';
import { EventSource } from 'eventsource';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { sseSubscriptions } from './sse-subscriptions';

const t = initTRPC.create({
  sse: { ping: { enabled: true, intervalMs: 60 }, client: { reconnectAfterInactivityMs: 5_000 } },
  errorFormatter: ({ shape }) => ({ ...shape, data: { ...shape.data, formatted: true } }),
});

let left = 0;
const router = t.router({
  count: t.procedure
    .input(z.strictObject({ to: z.number().int().max(100), lastEventId: z.string().nullish() }))
    .subscription(async function* ({ input }) {
      for (let n = Number(input.lastEventId ?? 0) + 1; n <= input.to; n += 1) yield tracked(String(n), { n });
    }),
  refused: t.procedure.subscription(async function* () {
    yield* [];
    throw new TRPCError({ code: 'FORBIDDEN', message: 'not yours' });
  }),
  forever: t.procedure.subscription(async function* ({ signal }) {
    try {
      yield tracked('1', 'first');
      yield 'untracked';
      await new Promise((resolve) => signal?.addEventListener('abort', resolve));
    } finally {
      left += 1;
    }
  }),
  hello: t.procedure.query(() => 'hello'),
});

let server: ReturnType<typeof serve>;
let base = '';

beforeAll(async () => {
  const app = new Hono();
  app.use('/trpc/*', sseSubscriptions({ router, endpoint: '/trpc', createContext: async () => ({}) }));
  app.use('/trpc/*', trpcServer({ endpoint: '/trpc', router }));
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function client() {
  return createTRPCClient<typeof router>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: base, EventSource }),
        false: httpLink({ url: base }),
      }),
    ],
  });
}

/** Collects a subscription through tRPC's client until it completes or fails. */
function collect<T>(
  subscribe: (handlers: { onData(value: T): void; onComplete(): void; onError(error: unknown): void }) => {
    unsubscribe(): void;
  },
): Promise<{ values: T[]; error?: unknown }> {
  return new Promise((resolve) => {
    const values: T[] = [];
    const subscription = subscribe({
      onData: (value) => values.push(value),
      onComplete: () => resolve({ values }),
      onError: (error) => {
        subscription.unsubscribe();
        resolve({ values, error });
      },
    });
  });
}

/** The raw event stream of `path` until `until` says stop: each message's fields. */
async function rawMessages(
  path: string,
  until: (messages: Array<Record<string, string>>) => boolean,
  headers: Record<string, string> = {},
): Promise<Array<Record<string, string>>> {
  const abort = new AbortController();
  const response = await fetch(`${base}/${path}`, { headers, signal: abort.signal });
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const messages: Array<Record<string, string>> = [];
  const decoder = new TextDecoder();
  let text = '';
  try {
    for await (const chunk of response.body ?? []) {
      text += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const fields: Record<string, string> = {};
        for (const line of text.slice(0, end).split('\n')) {
          const colon = line.indexOf(':');
          fields[line.slice(0, colon)] = line.slice(colon + 2);
        }
        messages.push(fields);
        text = text.slice(end + 2);
      }
      if (until(messages)) break;
    }
  } finally {
    abort.abort();
  }
  return messages;
}

describe('subscriptions over server-sent events', () => {
  test("tRPC's client gets every value in order and completes when the subscription ends", async () => {
    const result = await collect<{ id: string; data: { n: number } }>((handlers) =>
      client().count.subscribe({ to: 5 }, handlers),
    );
    expect(result.error).toBeUndefined();
    expect(result.values.map((v) => [v.id, v.data.n])).toEqual([
      ['1', 1],
      ['2', 2],
      ['3', 3],
      ['4', 4],
      ['5', 5],
    ]);
  });

  test('a client resumes after the last id it saw (Last-Event-ID), as a reconnecting EventSource does', async () => {
    const messages = await rawMessages(
      `count?input=${encodeURIComponent(JSON.stringify({ to: 4 }))}`,
      (m) => m.some((f) => f.event === 'return'),
      { 'last-event-id': '2' },
    );
    expect(messages[0]).toEqual({ event: 'connected', data: '{"reconnectAfterInactivityMs":5000}' });
    expect(messages.slice(1)).toEqual([
      { data: '{"n":3}', id: '3' },
      { data: '{"n":4}', id: '4' },
      { event: 'return', data: '' },
    ]);
  });

  test("an error reaches tRPC's client with its code and the router's error shape", async () => {
    const refused = await collect((handlers) => client().refused.subscribe(undefined, handlers));
    expect(refused.error).toBeInstanceOf(TRPCClientError);
    const error = refused.error as TRPCClientError<typeof router>;
    expect(error.message).toBe('not yours');
    expect(error.data).toMatchObject({ code: 'FORBIDDEN', formatted: true, path: 'refused' });

    const invalid = await collect((handlers) =>
      client().count.subscribe({ to: 1_000 } as { to: number }, handlers),
    );
    expect((invalid.error as TRPCClientError<typeof router>).data).toMatchObject({ code: 'BAD_REQUEST' });
  });

  test('input that is not JSON is a PARSE_ERROR event, and the server stays up', async () => {
    const messages = await rawMessages('count?input=%7Bnot%20json', (m) =>
      m.some((f) => f.event === 'serialized-error'),
    );
    const error = messages.find((f) => f.event === 'serialized-error');
    expect(JSON.parse(error?.data ?? '{}')).toMatchObject({ data: { code: 'PARSE_ERROR', path: 'count' } });
    expect(await client().hello.query()).toBe('hello');
  });

  test('pings while idle; an untracked value after tracked ones restores the last id', async () => {
    const messages = await rawMessages('forever', (m) => m.filter((f) => f.event === 'ping').length >= 2);
    expect(messages.slice(1, 4)).toEqual([
      { data: '"first"', id: '1' },
      { data: '"untracked"', id: '' },
      { event: 'restore-id', data: '', id: '1' },
    ]);
    expect(messages.slice(4).every((f) => f.event === 'ping')).toBe(true);
  });

  test('a client that leaves ends the subscription on the server', async () => {
    const before = left;
    await rawMessages('forever', (m) => m.some((f) => f.id === '1'));
    for (let waited = 0; left === before && waited < 5_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(left).toBe(before + 1);
  });

  test('queries and unknown paths are left to tRPC', async () => {
    expect(await client().hello.query()).toBe('hello');
    const unknown = await fetch(`${base}/nothing.here`);
    expect(unknown.status).toBe(404);
    const malformed = await fetch(`${base}/count%E0%A4%A`);
    expect(malformed.status).toBe(400); // tRPC cannot decode it either
  });
});
