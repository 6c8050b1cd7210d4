// A real model server on 127.0.0.1 for tests, speaking OpenAI chat completions (and Anthropic messages):
// it streams Server-Sent Events like the real APIs, answers scripted replies in order, misbehaves on request (malformed
// chunks, slow tokens, 429 with Retry-After, dropped connections) and records every request it gets.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { anthropicWire, ChatRequest, MessagesRequest, openaiWire } from './wire-formats.js';

/**
 * One scripted answer. Requests take the scripted replies in order; with none left the server echoes
 * the last user message (`You said: …`), word by word.
 */
export interface ScriptedReply {
  /** The reply's text in the pieces it is streamed as (one SSE chunk each). */
  tokens?: readonly string[];
  /** Reply with this value as JSON text (structured output), streamed in a few pieces. */
  object?: unknown;
  /** Milliseconds between two streamed chunks (slow tokens). */
  delayMs?: number;
  /** Answer with this HTTP error status instead of a completion (e.g. 429, 500, 401). */
  status?: number;
  /** The `Retry-After` header (seconds) sent with an error status. */
  retryAfter?: string;
  /** The error body's message (default: a short description of the status). */
  errorMessage?: string;
  /** After this many text chunks, send a chunk that is not JSON. */
  malformedAfter?: number;
  /** After this many text chunks, destroy the connection without finishing the response. */
  dropAfter?: number;
  finishReason?: 'stop' | 'length';
  /** Usage to report (default: prompt characters / 4, one token per streamed piece). */
  usage?: { promptTokens: number; completionTokens: number };
}

/** What the server saw of one request. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed body of a `/chat/completions` request (undefined for others, or when it did not parse). */
  body: ChatRequest | undefined;
  /** The parsed body of an Anthropic `/messages` request. */
  messagesBody: MessagesRequest | undefined;
  /**
   * `completed`: the whole response was written; `client-closed`: the client went away first (an
   * abort); `dropped`: the server cut it on purpose; `pending`: still in flight.
   */
  outcome: 'pending' | 'completed' | 'client-closed' | 'dropped';
}

/** The running server. */
export interface ModelServer {
  /** The OpenAI-style base URL, `http://127.0.0.1:<port>/v1`. */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Appends replies to the script. */
  script(...replies: ScriptedReply[]): void;
  /** Resolves once no request is in flight (a closed client connection has been noticed). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the server on a random loopback port.
 *
 * @example
 * const server = await startModelServer([{ tokens: ['Hello', ' world'] }]);
 * const model = createOpenAI({ baseURL: server.url, apiKey: 'k' }).chat('m');
 * // … server.requests[0].headers.authorization === 'Bearer k'
 * await server.close();
 */
export async function startModelServer(script: readonly ScriptedReply[] = []): Promise<ModelServer> {
  const queue: ScriptedReply[] = [...script];
  const requests: RecordedRequest[] = [];
  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const done = handle(req, res, queue, requests).catch(() => undefined);
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the model server has no TCP address');
  const { port } = address;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...replies) => void queue.push(...replies),
    settled: async () => {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  queue: ScriptedReply[],
  requests: RecordedRequest[],
): Promise<void> {
  const parsed = parseJson(await readBody(req));
  const path = new URL(req.url ?? '/', 'http://fixture').pathname;
  const route = req.method !== 'POST' ? undefined : ROUTES.find((r) => path.endsWith(r.suffix));
  const chat = route?.protocol === 'openai' ? ChatRequest.safeParse(parsed) : undefined;
  const messages = route?.protocol === 'anthropic' ? MessagesRequest.safeParse(parsed) : undefined;
  const body = chat ?? messages;
  const record: RecordedRequest = {
    method: req.method ?? '',
    path: req.url ?? '',
    headers: { ...req.headers },
    body: chat?.success ? chat.data : undefined,
    messagesBody: messages?.success ? messages.data : undefined,
    outcome: 'pending',
  };
  requests.push(record);
  const closed = new Promise<void>((resolve) => res.on('close', resolve));
  void closed.then(() => {
    if (record.outcome === 'pending') record.outcome = res.writableFinished ? 'completed' : 'client-closed';
  });
  if (route === undefined || body === undefined) {
    sendError(
      res,
      404,
      `no route ${req.method} ${req.url}: this server speaks /v1/chat/completions and /v1/messages`,
    );
  } else if (!body.success) {
    sendError(res, 400, `the request body is not a ${route.suffix} request: ${z.prettifyError(body.error)}`);
  } else {
    const request = normalise(record);
    if (request !== undefined) await reply(res, request, route.protocol, queue.shift() ?? {}, record);
  }
  await closed;
}

const ROUTES = [
  { suffix: '/chat/completions', protocol: 'openai' },
  { suffix: '/messages', protocol: 'anthropic' },
] as const;

/** What a reply needs from either request shape. */
interface Request {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  /** The last user message. */
  said: string;
  /** Every message's text, the system prompt included. */
  promptText: string;
}

function normalise(record: RecordedRequest): Request | undefined {
  if (record.body) {
    const { body } = record;
    const users = body.messages.filter((m) => m.role === 'user');
    return {
      model: body.model,
      stream: body.stream === true,
      includeUsage: body.stream_options?.include_usage === true,
      said: users.length === 0 ? '' : contentText(users[users.length - 1]?.content ?? ''),
      promptText: body.messages.map((m) => contentText(m.content)).join('\n'),
    };
  }
  if (record.messagesBody) {
    const { messagesBody: body } = record;
    const users = body.messages.filter((m) => m.role === 'user');
    const system = body.system === undefined ? [] : [contentText(body.system)];
    return {
      model: body.model,
      stream: body.stream === true,
      includeUsage: true,
      said: users.length === 0 ? '' : contentText(users[users.length - 1]?.content ?? ''),
      promptText: [...system, ...body.messages.map((m) => contentText(m.content))].join('\n'),
    };
  }
  return undefined;
}

async function reply(
  res: ServerResponse,
  request: Request,
  protocol: 'openai' | 'anthropic',
  scripted: ScriptedReply,
  record: RecordedRequest,
): Promise<void> {
  if (scripted.status !== undefined) {
    const headers: Record<string, string> =
      scripted.retryAfter === undefined ? {} : { 'retry-after': scripted.retryAfter };
    sendError(res, scripted.status, scripted.errorMessage ?? `scripted status ${scripted.status}`, headers);
    return;
  }
  const pieces = replyPieces(request, scripted);
  const usage = scripted.usage ?? {
    promptTokens: Math.ceil(request.promptText.length / 4),
    completionTokens: pieces.length,
  };
  const wire = (protocol === 'openai' ? openaiWire : anthropicWire)(request.model, usage);
  const finishReason = scripted.finishReason ?? 'stop';
  if (!request.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(wire.complete(pieces.join(''), finishReason)));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  // Each event is flushed before the next, like a real server streaming tokens as they are made.
  const send = (text: string) =>
    new Promise<void>((resolve) => (res.destroyed ? resolve() : res.write(text, () => resolve())));
  for (const event of wire.start()) await send(event);
  for (const [i, piece] of pieces.entries()) {
    if (scripted.dropAfter === i) {
      record.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    if (scripted.malformedAfter === i) await send(wire.malformed());
    if (scripted.delayMs !== undefined && i > 0) await sleep(scripted.delayMs);
    if (res.destroyed) return;
    await send(wire.delta(piece));
  }
  for (const event of wire.end(finishReason, request.includeUsage)) await send(event);
  res.end();
}

/** The pieces of the reply: scripted tokens, the scripted object's JSON, or an echo. */
function replyPieces(request: Request, scripted: ScriptedReply): string[] {
  if (scripted.tokens) return [...scripted.tokens];
  if (scripted.object !== undefined) {
    const json = JSON.stringify(scripted.object);
    const size = Math.max(1, Math.ceil(json.length / 4));
    const pieces: string[] = [];
    for (let i = 0; i < json.length; i += size) pieces.push(json.slice(i, i + size));
    return pieces;
  }
  return `You said: ${request.said}`.split(/(?=\s)/);
}

function contentText(content: string | readonly { text?: string | undefined }[]): string {
  if (typeof content === 'string') return content;
  return content.map((part) => part.text ?? '').join('');
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { message, type: 'fixture_error', code: String(status) } }));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
