// A subscriber as a browser is one: tRPC's `httpSubscriptionLink` URL and event-stream protocol,
// read with a plain `http.get` and parsed like a browser's native EventSource (`event`, `data`
// and `id` fields, a blank line ends a message). The `eventsource` package (a JavaScript polyfill of
// what browsers do in native code) costs this process several times more per message, and on a
// machine of two cores the subscribers' CPU is taken from the server being measured.
import http from 'node:http';
import { z } from 'zod';

export interface SseSubscription {
  close(): void;
}

export interface SseHandlers {
  /** A tracked message: its id and its JSON data. */
  onData(id: string, data: unknown): void;
  /** The server ended the subscription (tRPC's `return` event). */
  onReturn(): void;
  onError(error: Error): void;
}

/**
 * Connections are kept open after a stream ends, as a browser keeps them: when 100 runs finish within
 * a few hundred milliseconds, 2,000 streams end together, and closing and reopening their connections
 * was most of the tail the measured events waited behind.
 */
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const SerializedError = z.object({ message: z.string() }).passthrough();

/** The URL tRPC's httpSubscriptionLink opens for `path` with `input` (no transformer). */
export function subscriptionUrl(base: string, path: string, input: unknown): string {
  return `${base}/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;
}

/**
 * Opens `url` as an event stream with `headers` (the session cookie) and hands each message on.
 *
 * @example
 * const sub = followSse(subscriptionUrl(base, 'run.watchBatches', { runId }), { cookie }, handlers);
 */
export function followSse(
  url: string,
  headers: Record<string, string>,
  handlers: SseHandlers,
): SseSubscription {
  let ended = false;
  const end = (error?: Error) => {
    if (ended) return;
    ended = true;
    request.destroy();
    if (error) handlers.onError(error);
    else handlers.onReturn();
  };
  const dispatch = (block: string) => {
    let event = 'message';
    let data = '';
    let id = '';
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon === 0) continue; // a comment
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(line[colon + 1] === ' ' ? colon + 2 : colon + 1);
      if (field === 'event') event = value;
      else if (field === 'data') data = data ? `${data}\n${value}` : value;
      else if (field === 'id') id = value;
    }
    if (event === 'message') handlers.onData(id, JSON.parse(data));
    else if (event === 'return') end();
    else if (event === 'serialized-error') {
      const parsed = SerializedError.safeParse(JSON.parse(data));
      end(new Error(parsed.success ? parsed.data.message : `subscription error: ${data}`));
    }
    // `connected` and `ping` carry nothing for a subscriber.
  };
  const request = http.get(url, { headers: { ...headers, accept: 'text/event-stream' }, agent: keepAlive });
  request.on('response', (response) => {
    if (response.statusCode !== 200) {
      end(new Error(`subscription refused: HTTP ${response.statusCode}`));
      response.resume();
      return;
    }
    response.setEncoding('utf8');
    let buffered = '';
    response.on('data', (text: string) => {
      buffered += text;
      let boundary = buffered.indexOf('\n\n');
      while (boundary >= 0 && !ended) {
        dispatch(buffered.slice(0, boundary));
        buffered = buffered.slice(boundary + 2);
        boundary = buffered.indexOf('\n\n');
      }
    });
    response.on('end', () => end(new Error('the event stream closed before the subscription ended')));
  });
  request.on('error', (error) => end(error));
  return {
    close() {
      ended = true;
      request.destroy();
    },
  };
}
