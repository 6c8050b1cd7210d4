// A real OpenAI-compatible chat-completions server on 127.0.0.1 for tests: it streams Server-Sent
// Events like the real API, answers scripted replies in order, misbehaves on request (malformed
// chunks, slow tokens, 429 with Retry-After, dropped connections) and records every request it gets.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';

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
  /** The parsed JSON body (undefined when it was not JSON). */
  body: ChatRequest | undefined;
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

const ChatMessage = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))]),
});
/** The part of an OpenAI chat-completions request body the server reads. */
export const ChatRequest = z.looseObject({
  model: z.string().min(1),
  messages: z.array(ChatMessage).min(1),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).optional(),
  response_format: z
    .looseObject({
      type: z.string(),
      json_schema: z.looseObject({ name: z.string().optional(), schema: z.unknown() }).optional(),
    })
    .optional(),
  max_tokens: z.number().optional(),
  max_completion_tokens: z.number().optional(),
  temperature: z.number().optional(),
});
export type ChatRequest = z.infer<typeof ChatRequest>;

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
  const raw = await readBody(req);
  const parsed = parseJson(raw);
  const body = ChatRequest.safeParse(parsed);
  const record: RecordedRequest = {
    method: req.method ?? '',
    path: req.url ?? '',
    headers: { ...req.headers },
    body: body.success ? body.data : undefined,
    outcome: 'pending',
  };
  requests.push(record);
  const closed = new Promise<void>((resolve) => res.on('close', resolve));
  void closed.then(() => {
    if (record.outcome === 'pending') record.outcome = res.writableFinished ? 'completed' : 'client-closed';
  });
  const path = new URL(req.url ?? '/', 'http://fixture').pathname;
  if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
    sendError(res, 404, `no route ${req.method} ${req.url}: this server speaks /v1/chat/completions`);
  } else if (!body.success) {
    sendError(res, 400, `the request body is not a chat completion request: ${z.prettifyError(body.error)}`);
  } else {
    await reply(res, body.data, queue.shift() ?? {}, record);
  }
  await closed;
}

async function reply(
  res: ServerResponse,
  request: ChatRequest,
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
  const text = pieces.join('');
  const usage = scripted.usage ?? {
    promptTokens: Math.ceil(promptText(request).length / 4),
    completionTokens: pieces.length,
  };
  const usageJson = {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
  };
  const finishReason = scripted.finishReason ?? 'stop';
  const id = `chatcmpl-fixture-${record.path.length}${Date.now()}`;
  const base = { id, created: Math.floor(Date.now() / 1000), model: request.model };
  if (!request.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finishReason }],
        usage: usageJson,
      }),
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const chunk = (delta: object, finish: string | null = null) =>
    `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  // Each event is flushed before the next, like a real server streaming tokens as they are made.
  const send = (text: string) =>
    new Promise<void>((resolve) => (res.destroyed ? resolve() : res.write(text, () => resolve())));
  await send(chunk({ role: 'assistant', content: '' }));
  for (const [i, piece] of pieces.entries()) {
    if (scripted.dropAfter === i) {
      record.outcome = 'dropped';
      res.socket?.destroy();
      return;
    }
    if (scripted.malformedAfter === i)
      await send('data: {"id": "broken", "choices": [{"delta": {"content": \n\n');
    if (scripted.delayMs !== undefined && i > 0) await sleep(scripted.delayMs);
    if (res.destroyed) return;
    await send(chunk({ content: piece }));
  }
  await send(chunk({}, finishReason));
  if (request.stream_options?.include_usage) {
    await send(
      `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage: usageJson })}\n\n`,
    );
  }
  res.end('data: [DONE]\n\n');
}

/** The pieces of the reply: scripted tokens, the scripted object's JSON, or an echo. */
function replyPieces(request: ChatRequest, scripted: ScriptedReply): string[] {
  if (scripted.tokens) return [...scripted.tokens];
  if (scripted.object !== undefined) {
    const json = JSON.stringify(scripted.object);
    const size = Math.max(1, Math.ceil(json.length / 4));
    const pieces: string[] = [];
    for (let i = 0; i < json.length; i += size) pieces.push(json.slice(i, i + size));
    return pieces;
  }
  const users = request.messages.filter((m) => m.role === 'user');
  const last = users.at(-1);
  const said = last === undefined ? '' : messageText(last);
  return `You said: ${said}`.split(/(?=\s)/);
}

function promptText(request: ChatRequest): string {
  return request.messages.map(messageText).join('\n');
}

function messageText(message: z.infer<typeof ChatMessage>): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => part.text ?? '').join('');
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
