// Turns a raw HTTP response into a step's output or a step error: status, a safe subset of headers,
// the body (JSON when the content type says so), the response schema, and the credential scrubbed.
import { Validator } from '@cfworker/json-schema';
import type { JsonSchema } from '@sluice/spec';
import type { IncomingHttpHeaders } from 'node:http';
import { StepError } from '../executor.js';
import type { RawResponse } from './guard/connector.js';

/** The step's output: what the node's `out` port declares. */
export interface HttpOutput {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const SAFE_HEADERS = new Set([
  'content-type',
  'content-length',
  'content-language',
  'content-location',
  'location',
  'etag',
  'last-modified',
  'date',
  'retry-after',
  'cache-control',
  'request-id',
  'x-request-id',
  'idempotency-key',
]);
const SAFE_PREFIXES = ['x-ratelimit-', 'ratelimit-'];
const RETRYABLE = new Set([429, 502, 503, 504]);
const MASK = '[credential]';

/** `text` with every occurrence of `secret` masked. */
export function scrubText(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join(MASK) : text;
}

/** A JSON value with every occurrence of `secret` in its strings (keys too) masked. */
export function scrubJson(value: unknown, secret: string | undefined): unknown {
  if (!secret) return value;
  if (typeof value === 'string') return scrubText(value, secret);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, secret));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [scrubText(k, secret), scrubJson(v, secret)]),
    );
  }
  return value;
}

/** The headers a step may keep: no cookies, no auth, nothing the API did not mean for display. */
export function safeHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (!SAFE_HEADERS.has(name) && !SAFE_PREFIXES.some((p) => name.startsWith(p))) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Seconds to wait from a Retry-After header (delta seconds or an HTTP date), if it has one. */
export function retryAfterSeconds(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function parseBody(raw: RawResponse, host: string): unknown {
  const type = String(raw.headers['content-type'] ?? '').toLowerCase();
  const text = raw.body.toString('utf8');
  if (!/^application\/(?:[\w.+-]+\+)?json\b/.test(type)) return text;
  if (text.trim() === '') return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed;
  } catch {
    throw new StepError('HTTP_BAD_RESPONSE', `${host} sent ${type} that is not valid JSON`, {
      retryable: false,
    });
  }
}

/**
 * The output of a response, or the step error it means: non-2xx → `HTTP_<status>` (429, 502, 503,
 * 504 retryable, with Retry-After in the message), a body that breaks `responseSchema` →
 * `HTTP_RESPONSE_INVALID`. The credential is scrubbed from everything returned or thrown.
 */
export function readResponse(
  raw: RawResponse,
  host: string,
  options: { responseSchema?: JsonSchema; secret?: string },
): HttpOutput {
  const { secret } = options;
  if (raw.status < 200 || raw.status > 299) {
    const wait = retryAfterSeconds(
      Array.isArray(raw.headers['retry-after']) ? raw.headers['retry-after'][0] : raw.headers['retry-after'],
    );
    const excerpt = raw.body.toString('utf8').slice(0, 300).replace(/\s+/g, ' ').trim();
    const retryable = RETRYABLE.has(raw.status);
    const message =
      `${host} answered HTTP ${raw.status}` +
      (wait === undefined ? '' : `; retry after ${wait} s (Retry-After)`) +
      (excerpt ? `: ${excerpt}` : '');
    throw new StepError(`HTTP_${raw.status}`, scrubText(message, secret), {
      retryable,
      cause: { status: raw.status, retryAfterSeconds: wait },
    });
  }
  const body = scrubJson(parseBody(raw, host), secret);
  if (options.responseSchema) {
    const result = new Validator(options.responseSchema, '2020-12', false).validate(body);
    if (!result.valid) {
      const problems = result.errors
        .filter((e) => e.keyword !== 'properties' && e.keyword !== 'items')
        .slice(0, 5)
        .map((e) => `${e.instanceLocation}: ${e.error}`);
      throw new StepError(
        'HTTP_RESPONSE_INVALID',
        scrubText(
          `the response body from ${host} does not match responseSchema: ${problems.join('; ')}`,
          secret,
        ),
        { retryable: false },
      );
    }
  }
  const headers = Object.fromEntries(
    Object.entries(safeHeaders(raw.headers)).map(([k, v]) => [k, scrubText(v, secret)]),
  );
  return { status: raw.status, headers, body };
}
