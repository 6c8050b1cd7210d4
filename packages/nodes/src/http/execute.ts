// The http node's executor: renders the request, injects the credential, calls through the SSRF
// guard, and turns the response into the step's output; compensate() sends the undo request.
import type { ExpressionScope, ExpressionTypes } from '@sluice/spec';
import { type Executor, type ExecutorContext, StepError, type StepResult } from '../executor.js';
import { call } from './call.js';
import { HttpConfig, type HttpRequest } from './config.js';
import { type Connector, connect } from './guard/connector.js';
import { type Resolver, systemResolver } from './guard/resolver.js';
import { renderRequest } from './render.js';
import { readResponse, scrubText } from './response.js';

/** What an http executor is built from; the defaults are the real resolver and connector. */
export interface HttpExecutorOptions {
  resolver?: Resolver;
  connector?: Connector;
  /** Extra trusted CA certificates (PEM) for https targets. */
  ca?: readonly string[];
}

function parseConfig(config: unknown): HttpConfig {
  const parsed = HttpConfig.safeParse(config);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'config';
  throw new StepError('CONFIG_INVALID', `${where}: ${issue?.message ?? 'invalid'}`, { retryable: false });
}

/** The schema of the step's output, so CEL in the compensation sees `output.status` as an int. */
function outputType(config: HttpConfig): ExpressionTypes['output'] {
  return {
    type: 'object',
    properties: {
      status: { type: 'integer' },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      body: config.responseSchema ?? {},
    },
  };
}

/**
 * Builds an http executor. Use {@link httpExecutor} in servers; tests pass their own resolver (and a
 * connector wrapped in a safety net) so no traffic leaves loopback.
 *
 * @example
 * const executor = createHttpExecutor({ resolver: async () => [{ address: '127.0.0.1', family: 4 }] });
 */
export function createHttpExecutor(options: HttpExecutorOptions = {}): Executor<HttpConfig> {
  const resolver = options.resolver ?? systemResolver;
  const connector = options.connector ?? connect;

  async function send(
    ctx: ExecutorContext<HttpConfig>,
    config: HttpConfig,
    request: Pick<HttpRequest, 'method' | 'url' | 'headers' | 'body'>,
    scope: ExpressionScope,
    base: string,
    idempotencyKey: string,
  ): Promise<StepResult> {
    const types: ExpressionTypes = { ...ctx.types, output: outputType(config) };
    const rendered = renderRequest(request, scope, types, base);
    const credentialHeader = (config.credentialHeader?.name ?? 'Authorization').toLowerCase();
    let secret: string | undefined;
    if (config.credential) {
      secret = await ctx.credential(config.credential);
      if (/[\r\n\0]/.test(secret) || secret === '') {
        throw new StepError(
          'CREDENTIAL_INVALID',
          `credential "${config.credential}" cannot be sent in a header`,
        );
      }
      rendered.headers[credentialHeader] = `${config.credentialHeader?.prefix ?? 'Bearer '}${secret}`;
    }
    if (rendered.headers['idempotency-key'] !== undefined) {
      ctx.log('warn', `${base}headers.Idempotency-Key is replaced by the step's idempotency key`);
    }
    rendered.headers['idempotency-key'] = idempotencyKey;
    rendered.headers['accept'] ??= 'application/json, text/plain;q=0.9, */*;q=0.1';
    const result = await call(rendered, {
      allowHosts: config.allowHosts,
      limits: config.limits,
      signal: ctx.signal,
      resolver,
      connector,
      ...(options.ca ? { ca: options.ca } : {}),
      ...(secret ? { credentialHeader } : {}),
    }).catch((error: unknown) => {
      if (error instanceof StepError && secret && error.message.includes(secret)) {
        throw new StepError(error.code, scrubText(error.message, secret), { retryable: error.retryable });
      }
      throw error;
    });
    // The response schema types the step's own call; a compensation (an undo endpoint) answers in its
    // own shape.
    const output = readResponse(result.raw, result.url.host, {
      ...(config.responseSchema && base === '' ? { responseSchema: config.responseSchema } : {}),
      ...(secret ? { secret } : {}),
    });
    const shown = `${rendered.method} ${result.url.origin}${result.url.pathname}`;
    ctx.log('info', scrubText(`${shown} → ${output.status}`, secret), {
      address: result.raw.address,
      bytes: result.raw.body.length,
      redirects: result.redirects.length,
    });
    return {
      output,
      details: {
        method: rendered.method,
        url: scrubText(result.url.href, secret),
        address: result.raw.address,
        status: output.status,
        responseBytes: result.raw.body.length,
        redirects: result.redirects.map((r) => scrubText(r, secret)),
        credential: config.credential ?? null,
      },
    };
  }

  return {
    kind: 'http',
    pure: false,
    async execute(ctx) {
      const config = parseConfig(ctx.config);
      const scope = { input: ctx.input, inputs: ctx.inputs, findings: ctx.findings, run: ctx.run };
      return send(ctx, config, config, scope, '', ctx.idempotencyKey);
    },
    async compensate(ctx) {
      const config = parseConfig(ctx.config);
      if (!config.compensation) {
        throw new StepError('COMPENSATION_MISSING', 'this http node declares no compensation request');
      }
      const scope = {
        input: ctx.input,
        inputs: ctx.inputs,
        findings: ctx.findings,
        run: ctx.run,
        output: ctx.output,
      };
      return send(
        ctx,
        config,
        config.compensation,
        scope,
        'compensation.',
        `${ctx.idempotencyKey}:compensate`,
      );
    },
  };
}

/**
 * The http node kind's executor: the system resolver, real sockets, the SSRF guard on every hop.
 *
 * @example
 * const registry = executorRegistry([...builtinExecutors]); // includes httpExecutor
 */
export const httpExecutor: Executor<HttpConfig> = createHttpExecutor();
