// One logical HTTP call: guard → connect → (re-guard → connect)* for redirects, all within the
// node's time limit and the step's abort signal.
import { StepError } from '../executor.js';
import type { Connector, RawResponse } from './guard/connector.js';
import type { Resolver } from './guard/resolver.js';
import { checkTarget, refuse } from './guard/target.js';
import type { RenderedRequest } from './render.js';

export interface CallLimits {
  timeoutMs: number;
  maxResponseBytes: number;
  maxRedirects: number;
}

export interface CallOptions {
  allowHosts: readonly string[];
  limits: CallLimits;
  /** The step's signal: cancellation, step timeout, lost lease. */
  signal: AbortSignal;
  resolver: Resolver;
  connector: Connector;
  ca?: readonly string[];
  /** The lower-case name of the header carrying the credential: dropped on a cross-origin redirect. */
  credentialHeader?: string;
}

export interface CallResult {
  raw: RawResponse;
  /** The URL that answered (after redirects). */
  url: URL;
  /** Each redirect target followed, in order. */
  redirects: string[];
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Rejects as soon as `signal` aborts, so a slow resolver cannot outlive the time limit. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Sends a rendered request through the SSRF guard, following at most `limits.maxRedirects`
 * redirects, each target checked again from scratch (scheme, allow-list, resolution, addresses).
 * A 303, or a 301/302 after a POST, continues as a GET without body; a redirect to another origin
 * drops the credential header; a redirect from https to http is refused.
 */
export async function call(request: RenderedRequest, options: CallOptions): Promise<CallResult> {
  const timeout = AbortSignal.timeout(options.limits.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  let url = request.url;
  let method = request.method;
  let headers = { ...request.headers };
  let body = request.body;
  const redirects: string[] = [];
  try {
    for (;;) {
      const target = await raceAbort(checkTarget(url, options.allowHosts, options.resolver), signal);
      const raw = await options.connector(
        target,
        { method, headers, ...(body === undefined ? {} : { body }) },
        {
          signal,
          maxResponseBytes: options.limits.maxResponseBytes,
          ...(options.ca ? { ca: options.ca } : {}),
        },
      );
      const location = raw.headers.location;
      if (!REDIRECTS.has(raw.status) || !location) return { raw, url, redirects };
      if (redirects.length >= options.limits.maxRedirects) {
        throw new StepError(
          'HTTP_TOO_MANY_REDIRECTS',
          `${url.host} redirected (HTTP ${raw.status}) after ${redirects.length} redirect(s); limits.maxRedirects is ${options.limits.maxRedirects}`,
          { retryable: false },
        );
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new StepError('HTTP_BAD_REDIRECT', `${url.host} redirected to an invalid URL`, {
          retryable: false,
        });
      }
      if (url.protocol === 'https:' && next.protocol === 'http:') {
        throw refuse(`${url.host} redirected from https to http (${next.host}); a downgrade is refused`);
      }
      if (raw.status === 303 || ((raw.status === 301 || raw.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
      }
      if (next.origin !== url.origin && options.credentialHeader) {
        const { [options.credentialHeader]: _dropped, ...rest } = headers;
        headers = rest;
      }
      redirects.push(next.href);
      url = next;
    }
  } catch (error) {
    if (error instanceof StepError) throw error;
    if (options.signal.aborted) {
      throw new StepError('HTTP_ABORTED', `the call to ${url.host} was aborted`, {
        retryable: false,
        cause: error,
      });
    }
    if (timeout.aborted) {
      throw new StepError(
        'HTTP_TIMEOUT',
        `${url.host} did not answer within limits.timeoutMs (${options.limits.timeoutMs} ms)`,
        { retryable: true, cause: error },
      );
    }
    throw error;
  }
}
