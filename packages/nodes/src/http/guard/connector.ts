// Sends one HTTP request to a checked target, pinned to the addresses the guard checked, and reads
// the response within a size limit. No redirects here (the caller re-checks each hop).
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { StepError } from '../../executor.js';
import { type CheckedTarget, refuse } from './target.js';

/** What goes on the wire. Header names lower-case. */
export interface OutgoingRequest {
  method: string;
  headers: Readonly<Record<string, string>>;
  body?: string;
}

/** A response, its body read in full (within the limit). */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The address the connection went to. */
  address: string;
}

export interface ConnectOptions {
  signal: AbortSignal;
  maxResponseBytes: number;
  /** Extra trusted CA certificates (PEM) for https, beside the system's. */
  ca?: readonly string[];
}

/** Sends one request to a checked target. Replaceable so tests can add a safety net around it. */
export type Connector = (
  target: CheckedTarget,
  request: OutgoingRequest,
  options: ConnectOptions,
) => Promise<RawResponse>;

/**
 * A `lookup` for `http.request` that answers only the checked host, and only with its checked
 * addresses: the socket cannot reach anything the guard did not see.
 */
function pinnedLookup(target: CheckedTarget): LookupFunction {
  return (hostname, options, callback) => {
    if (hostname !== target.hostname) {
      callback(Object.assign(new Error(`unexpected lookup of "${hostname}"`), { code: 'ENOTFOUND' }), '', 4);
      return;
    }
    const family = typeof options === 'object' ? options.family : options;
    const wanted = target.addresses.filter((a) => !family || family === a.family);
    const first = wanted[0];
    if (!first) {
      callback(Object.assign(new Error(`no IPv${family} address checked`), { code: 'ENOTFOUND' }), '', 4);
      return;
    }
    if (typeof options === 'object' && options.all) callback(null, wanted);
    else callback(null, first.address, first.family);
  };
}

/** The connection failed before a response: transient unless it is a certificate problem. */
function connectionError(target: CheckedTarget, error: unknown): StepError {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  const reason = error instanceof Error ? error.message : String(error);
  const host = target.url.host;
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) {
    return new StepError('HTTP_TLS_FAILED', `TLS with ${host} failed: ${reason}`, { retryable: false });
  }
  return new StepError('HTTP_CONNECTION_FAILED', `could not reach ${host}: ${reason}`, { retryable: true });
}

/**
 * Sends the request with Node's http/https to the target's checked addresses (the `Host` header and
 * TLS server name stay the URL's host), then streams the body, aborting past `maxResponseBytes`.
 * The caller maps an abort (`options.signal`) to its own error.
 */
export const connect: Connector = (target, request, options) =>
  new Promise<RawResponse>((resolve, reject) => {
    const secure = target.url.protocol === 'https:';
    const isName = !target.addresses.some((a) => a.address === target.hostname);
    const req = (secure ? https : http).request({
      protocol: target.url.protocol,
      hostname: target.hostname,
      port: target.port,
      path: `${target.url.pathname}${target.url.search}`,
      method: request.method,
      // Node frames a DELETE (or GET) body with no Content-Length at all: always state it.
      headers:
        request.body === undefined
          ? request.headers
          : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
      agent: false,
      lookup: pinnedLookup(target),
      signal: options.signal,
      ...(secure && isName ? { servername: target.hostname } : {}),
      // `ca` replaces Node's trust store, so the system roots go first.
      ...(secure && options.ca ? { ca: [...rootCertificates, ...options.ca] } : {}),
    });
    let address = target.addresses[0]?.address ?? target.hostname;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(error);
    };
    req.on('socket', (socket) => {
      socket.on('connect', () => {
        address = socket.remoteAddress ?? address;
        // Belt and braces: the pinned lookup should make this impossible.
        if (!target.addresses.some((a) => a.address === socket.remoteAddress)) {
          fail(refuse(`the connection to ${target.url.host} reached ${address}, which was not checked`));
        }
      });
    });
    req.on('error', (error) =>
      fail(options.signal.aborted ? options.signal.reason : connectionError(target, error)),
    );
    req.on('response', (res) => {
      const tooLarge = () =>
        new StepError(
          'HTTP_RESPONSE_TOO_LARGE',
          `the response from ${target.url.host} is larger than limits.maxResponseBytes (${options.maxResponseBytes} bytes)`,
          { retryable: false },
        );
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
        res.destroy();
        fail(tooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxResponseBytes) {
          res.destroy();
          fail(tooLarge());
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (error) =>
        fail(options.signal.aborted ? options.signal.reason : connectionError(target, error)),
      );
      res.on('close', () => {
        if (!res.complete)
          fail(
            options.signal.aborted
              ? options.signal.reason
              : connectionError(target, new Error('the connection closed before the response ended')),
          );
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), address });
      });
    });
    req.end(request.body);
  });
