// tRPC subscriptions over server-sent events, answered in one stream of whole messages. tRPC's own
// answer runs each message through half a dozen async generators (ping, error handling, tracking)
// and three web streams (chunks, text lines, bytes) before the Node adapter writes it: with 20
// viewers on each of 100 live runs that machinery was more than half of the server's CPU, and the
// overlay fell behind its runs. This speaks the same protocol (what `httpSubscriptionLink` reads:
// `connected`, tracked `id`s, `ping`, `return`, `serialized-error`) and calls the procedure the same
// way (`callProcedure`: the middleware, permissions and input parsing are tRPC's own), so a client
// sees no difference. Everything else under /trpc (queries, mutations, batches) is left to tRPC.
import type { AnyRouter } from '@trpc/server';
import {
  callProcedure,
  getErrorShape,
  getLastEventId,
  getProcedureAtPath,
  getTRPCErrorFromUnknown,
  isAbortError,
  isAsyncIterable,
  isObject,
  isTrackedEnvelope,
  sseHeaders,
  TRPCError,
} from '@trpc/server/unstable-core-do-not-import';
import type { Context, MiddlewareHandler } from 'hono';

export interface SseSubscriptionOptions<Ctx> {
  router: AnyRouter;
  /** The path tRPC is served under, e.g. `/trpc`. */
  endpoint: string;
  createContext(c: Context): Promise<Ctx>;
  onError?(opts: { error: TRPCError; path: string }): void;
}

/** One event-stream message; a blank line ends it. */
function message(fields: { event?: string; data: string; id?: string }): Buffer {
  let text = fields.event === undefined ? '' : `event: ${fields.event}\n`;
  text += `data: ${fields.data}\n`;
  if (fields.id !== undefined) text += `id: ${fields.id}\n`;
  return Buffer.from(`${text}\n`, 'utf8');
}

/** The raw input of a GET call: `?input=` as JSON, with the client's last event id merged in. */
function rawInput(url: URL, headers: Headers): unknown {
  const text = url.searchParams.get('input');
  let input: unknown;
  if (text !== null) {
    try {
      input = JSON.parse(text);
    } catch (cause) {
      throw new TRPCError({ code: 'PARSE_ERROR', message: 'the input is not valid JSON', cause });
    }
  }
  const lastEventId = getLastEventId({ headers, searchParams: url.searchParams });
  if (!lastEventId) return input;
  if (isObject(input)) return { ...input, lastEventId };
  return input ?? { lastEventId };
}

/**
 * Answers GET `<endpoint>/<path>` for every subscription procedure of `router`; anything else goes on
 * to the next handler (tRPC's).
 */
export function sseSubscriptions<Ctx extends object>(
  options: SseSubscriptionOptions<Ctx>,
): MiddlewareHandler {
  const { router, endpoint } = options;
  const config = router._def._config;
  const sse = config.sse ?? {};
  const pingMs = sse.ping?.enabled ? (sse.ping.intervalMs ?? 1_000) : 0;
  const connected = message({ event: 'connected', data: JSON.stringify(sse.client ?? {}) });
  const ping = message({ event: 'ping', data: '' });
  const done = message({ event: 'return', data: '' });
  const serialize = (data: unknown) => JSON.stringify(config.transformer.output.serialize(data));

  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    const url = new URL(c.req.url);
    if (url.searchParams.has('batch') || !url.pathname.startsWith(`${endpoint}/`)) return next();
    let path: string;
    try {
      path = decodeURIComponent(url.pathname.slice(endpoint.length + 1));
    } catch {
      return next(); // not a procedure's path: tRPC answers it
    }
    const procedure = await getProcedureAtPath(router, path);
    if (!procedure || procedure._def.type !== 'subscription') return next();

    const abort = new AbortController();
    const clientGone = () => abort.abort();
    c.req.raw.signal.addEventListener('abort', clientGone, { once: true });
    let ctx: Ctx | undefined;
    let input: unknown;
    let iterator: AsyncIterator<unknown> | undefined;
    let lastEventId: string | null = null;
    let lastSent = Date.now();
    let pinger: NodeJS.Timeout | undefined;
    let ended = false;
    const release = () => {
      ended = true;
      clearInterval(pinger);
      c.req.raw.signal.removeEventListener('abort', clientGone);
    };
    const end = (controller: ReadableStreamDefaultController<Uint8Array>, last: Buffer | null) => {
      if (ended) return;
      release();
      if (last) controller.enqueue(last);
      controller.close();
    };
    const failure = (cause: unknown): Buffer | null => {
      if (isAbortError(cause) || abort.signal.aborted) return null;
      const error = getTRPCErrorFromUnknown(cause);
      options.onError?.({ error, path });
      const shape = getErrorShape({ config, ctx, error, input, path, type: 'subscription' });
      return message({ event: 'serialized-error', data: serialize(shape) });
    };

    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(connected);
        try {
          ctx = await options.createContext(c);
          input = rawInput(url, c.req.raw.headers);
          const result: unknown = await callProcedure({
            router,
            path,
            getRawInput: async () => input,
            ctx,
            type: 'subscription',
            signal: abort.signal,
            batchIndex: 0,
          });
          if (!isAsyncIterable(result)) {
            throw new TRPCError({
              code: 'INTERNAL_SERVER_ERROR',
              message: `subscription ${path} did not return an async iterable`,
            });
          }
          iterator = result[Symbol.asyncIterator]();
          const resumed = getLastEventId({ headers: c.req.raw.headers, searchParams: url.searchParams });
          lastEventId = resumed && !/[\0\n\r]/.test(resumed) ? resumed : null;
        } catch (cause) {
          end(controller, failure(cause));
          return;
        }
        if (pingMs > 0) {
          // No silence longer than the interval: checked at half of it, so no timer per message.
          pinger = setInterval(() => {
            if (ended || Date.now() - lastSent < pingMs / 2) return;
            lastSent = Date.now();
            controller.enqueue(ping);
          }, pingMs / 2);
          pinger.unref();
        }
      },
      async pull(controller) {
        if (!iterator) return;
        try {
          const next = await iterator.next();
          if (ended) return;
          if (next.done) {
            end(controller, done);
            return;
          }
          lastSent = Date.now();
          const value: unknown = next.value;
          if (isTrackedEnvelope(value)) {
            lastEventId = value[0];
            controller.enqueue(message({ data: serialize(value[1]), id: value[0] }));
          } else if (lastEventId === null) {
            controller.enqueue(message({ data: serialize(value) }));
          } else {
            // An untracked message after tracked ones: sent without an id, then the last id restored
            // (as tRPC does), so a reconnect still resumes after the last tracked one.
            controller.enqueue(message({ data: serialize(value), id: '' }));
            controller.enqueue(message({ event: 'restore-id', data: '', id: lastEventId }));
          }
        } catch (cause) {
          if (!ended) end(controller, failure(cause));
        }
      },
      async cancel() {
        release();
        abort.abort();
        await iterator?.return?.();
      },
    });
    return new Response(body, { status: 200, headers: sseHeaders });
  };
}
