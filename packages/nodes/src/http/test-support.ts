// Test-only fixtures for the http executor: a loopback echo server, a loopback server that records
// every connection (for targets that must never be reached), a controlled resolver, a connector
// safety net, and an executor context that records its logs. Never imported by production code.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ExecutorContext, ExecutorLogLevel } from '../executor.js';
import { HttpConfig } from './config.js';
import { classifyAddress } from './guard/address.js';
import { type Connector, connect } from './guard/connector.js';
import { ResolveError, type ResolvedAddress, type Resolver } from './guard/resolver.js';

/** One request the echo server received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface LoopbackServer {
  port: number;
  origin: string;
  requests: ReceivedRequest[];
  connections: number;
  /** Called when a request arrives (after it is recorded). */
  onRequest?: (request: ReceivedRequest) => void;
  close(): Promise<void>;
}

function listen(server: Server, host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address: AddressInfo | string | null = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

function closeAll(servers: Server[], sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(
    () => undefined,
  );
}

/**
 * An HTTP server on 127.0.0.1 that answers by path:
 * `/status/<code>[?retryAfter=s][&echo=1 (the request headers in the body)]`, `/redirect?to=<url>[&code=302]`, `/big?bytes=n[&chunked=1]`,
 * `/hang` (never answers), `/text`, `/bad-json`; anything else echoes what it received as JSON.
 */
export async function startEchoServer(): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const state: LoopbackServer = {
    port: 0,
    origin: '',
    requests: [],
    connections: 0,
    close: () => closeAll([server], sockets),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      state.requests.push(received);
      state.onRequest?.(received);
      const url = new URL(req.url ?? '/', 'http://x');
      const status = /^\/status\/(\d{3})$/.exec(url.pathname);
      if (status) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        const retryAfter = url.searchParams.get('retryAfter');
        if (retryAfter) headers['retry-after'] = retryAfter;
        const echoed = url.searchParams.get('echo') ? { youSent: req.headers } : {};
        res
          .writeHead(Number(status[1]), headers)
          .end(JSON.stringify({ error: `status ${status[1]}`, ...echoed }));
      } else if (url.pathname === '/redirect') {
        res.writeHead(Number(url.searchParams.get('code') ?? 302), {
          location: url.searchParams.get('to') ?? '/',
        });
        res.end();
      } else if (url.pathname === '/big') {
        const body = 'x'.repeat(Number(url.searchParams.get('bytes') ?? 0));
        if (url.searchParams.get('chunked')) {
          res.writeHead(200, { 'content-type': 'text/plain' });
          for (let i = 0; i < body.length; i += 100) res.write(body.slice(i, i + 100));
          res.end();
        } else {
          res
            .writeHead(200, { 'content-type': 'text/plain', 'content-length': String(body.length) })
            .end(body);
        }
      } else if (url.pathname === '/hang') {
        // Never answers: the client's time limit or abort has to end it.
      } else if (url.pathname === '/text') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'set-cookie': 'session=secret' });
        res.end('plain words');
      } else if (url.pathname === '/bad-json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"oops": ');
      } else {
        res.writeHead(200, {
          'content-type': 'application/json',
          'x-request-id': 'req-1',
          'set-cookie': 'session=secret',
        });
        res.end(JSON.stringify({ id: 'item-42', received }));
      }
    });
  });
  server.on('connection', (socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  state.port = await listen(server, '127.0.0.1');
  state.origin = `http://127.0.0.1:${state.port}`;
  return state;
}

/**
 * A server that must never be reached: it listens on 127.0.0.1 and [::1] (same port when it can)
 * and counts every connection, answering none usefully.
 */
export async function startTrapServer(): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  const state: LoopbackServer = {
    port: 0,
    origin: '',
    requests: [],
    connections: 0,
    close: () => closeAll(servers, sockets),
  };
  const make = () => {
    const server = createServer((req, res) => res.writeHead(200).end('reached'));
    server.on('connection', (socket) => {
      state.connections++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    servers.push(server);
    return server;
  };
  state.port = await listen(make(), '127.0.0.1');
  await listen(make(), '::1', state.port);
  state.origin = `http://127.0.0.1:${state.port}`;
  return state;
}

/** A resolver that knows only the names it is given, and counts its lookups. */
export function tableResolver(
  table: Readonly<Record<string, readonly string[]>>,
): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string): Promise<readonly ResolvedAddress[]> => {
    calls.push(hostname);
    const found = table[hostname];
    if (!found) throw new ResolveError(`"${hostname}" did not resolve (ENOTFOUND)`, false);
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

/**
 * The real connector behind a safety net: if the guard ever let a non-loopback address through,
 * the test fails here instead of sending traffic off this machine.
 */
export const loopbackOnlyConnector: Connector = (target, request, options) => {
  const outside = target.addresses.filter((a) => classifyAddress(a.address).kind !== 'loopback');
  if (outside.length > 0) {
    throw new Error(`test safety net: the guard let ${outside.map((a) => a.address).join(', ')} through`);
  }
  return connect(target, request, options);
};

export interface RecordedLog {
  level: ExecutorLogLevel;
  message: string;
  data?: unknown;
}

/** An executor context for one http step, with its log lines recorded. */
export function httpContext(
  config: unknown,
  options: { input?: unknown; credentials?: Record<string, string>; signal?: AbortSignal } = {},
): { ctx: ExecutorContext<HttpConfig>; logs: RecordedLog[] } {
  const logs: RecordedLog[] = [];
  const input = options.input ?? null;
  const ctx: ExecutorContext<HttpConfig> = {
    runId: 'run-1',
    nodeId: 'call',
    workspaceId: 'ws-1',
    workflowId: 'wf-1',
    attempt: 1,
    idempotencyKey: 'idem-run-1-call-1',
    config: HttpConfig.parse(config),
    input,
    inputs: [input],
    findings: [],
    types: {},
    signal: options.signal ?? new AbortController().signal,
    log: (level, message, data) => logs.push({ level, message, data }),
    heartbeat: async () => {},
    credential: async (name) => {
      const value = options.credentials?.[name];
      if (value === undefined) throw new Error(`credential ${name} not bound`);
      return value;
    },
    stream: () => {},
    usage: { runTokens: 0 },
  };
  return { ctx, logs };
}
