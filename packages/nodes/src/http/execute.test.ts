// The http executor against a real HTTP server on 127.0.0.1: the request it sends, the output it
// makes, its limits and errors, the credential kept out of everything it returns, and compensation.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { StepError, type StepResult, type StepWait } from '../executor.js';
import { builtinExecutors } from '../executors.js';
import { HttpConfig } from './config.js';
import { createHttpExecutor, httpExecutor } from './execute.js';
import type { Resolver } from './guard/resolver.js';
import {
  httpContext,
  type LoopbackServer,
  loopbackOnlyConnector,
  startEchoServer,
  tableResolver,
} from './test-support.js';

let echo: LoopbackServer;
let other: LoopbackServer;
beforeAll(async () => {
  echo = await startEchoServer();
  other = await startEchoServer();
});
afterAll(async () => {
  await echo.close();
  await other.close();
});
beforeEach(() => {
  echo.requests.length = 0;
  other.requests.length = 0;
  echo.onRequest = undefined;
});

const CANARY = 'sk-canary-7f3a9c1e5b';
const executor = () => createHttpExecutor({ resolver: tableResolver({}), connector: loopbackOnlyConnector });
const base = () => ({ url: `${echo.origin}/items`, allowHosts: [`127.0.0.1:${echo.port}`] });

/** An http step never waits: its result is always a StepResult. */
function asResult(result: StepResult | StepWait): StepResult {
  if ('wait' in result) throw new Error('an http step returned a wait');
  return result;
}

async function run(config: unknown, options: Parameters<typeof httpContext>[1] = {}) {
  const { ctx, logs } = httpContext(config, options);
  return { result: asResult(await executor().execute(ctx)), logs };
}

async function failure(config: unknown, options: Parameters<typeof httpContext>[1] = {}): Promise<StepError> {
  const { ctx } = httpContext(config, options);
  const error: unknown = await Promise.resolve(executor().execute(ctx)).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof StepError)) throw new Error(`expected a StepError, got ${String(error)}`);
  return error;
}

describe('http executor: the request', () => {
  test('renders URL, headers and JSON body; sends the idempotency key and the credential', async () => {
    const { result } = await run(
      {
        ...base(),
        url: `${echo.origin}/items/{{ input.id }}?q={{ input.q }}`,
        headers: { 'X-Trace': 'trace-{{ input.n }}' },
        body: { id: 'input.id', double: 'input.n * 2', tags: '["a", input.q]' },
        credential: 'api-key',
      },
      { input: { id: 'a/b c', q: 'x&y=1', n: 21 }, credentials: { 'api-key': CANARY } },
    );
    expect(echo.requests).toHaveLength(1);
    const [request] = echo.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/items/a%2Fb%20c?q=x%26y%3D1');
    expect(request?.headers).toMatchObject({
      'idempotency-key': 'idem-run-1-call-1',
      authorization: `Bearer ${CANARY}`,
      'x-trace': 'trace-21',
      'content-type': 'application/json',
      host: `127.0.0.1:${echo.port}`,
    });
    expect(JSON.parse(request?.body ?? '')).toEqual({ id: 'a/b c', double: 42, tags: ['a', 'x&y=1'] });
    expect(result.output).toMatchObject({
      status: 200,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' },
      body: { id: 'item-42' },
    });
  });

  test('the credential never reaches the output, details or log lines, even when the server echoes it', async () => {
    const { result, logs } = await run(
      { ...base(), credential: 'api-key' },
      { credentials: { 'api-key': CANARY } },
    );
    expect(echo.requests[0]?.headers.authorization).toBe(`Bearer ${CANARY}`);
    expect(JSON.stringify(result)).not.toContain(CANARY);
    expect(JSON.stringify(logs)).not.toContain(CANARY);
    expect(logs.length).toBeGreaterThan(0);
    expect(result.output).toMatchObject({
      body: { received: { headers: { authorization: 'Bearer [credential]' } } },
    });
  });

  test('the credential is scrubbed from error messages too', async () => {
    const error = await failure(
      { ...base(), url: `${echo.origin}/status/400?echo=1`, credential: 'api-key' },
      { credentials: { 'api-key': CANARY } },
    );
    expect(error.message).toContain('Bearer [credential]');
    expect(error.message).not.toContain(CANARY);
  });

  test("a configured Idempotency-Key is replaced by the step's key, with a warning", async () => {
    const { logs } = await run({ ...base(), headers: { 'Idempotency-Key': 'mine' } });
    expect(echo.requests[0]?.headers['idempotency-key']).toBe('idem-run-1-call-1');
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'warn', message: expect.stringMatching(/Idempotency-Key/) }),
    );
  });

  test('credentialHeader puts the secret in another header, without a prefix', async () => {
    await run(
      { ...base(), credential: 'api-key', credentialHeader: { name: 'X-Api-Key', prefix: '' } },
      { credentials: { 'api-key': CANARY } },
    );
    expect(echo.requests[0]?.headers['x-api-key']).toBe(CANARY);
    expect(echo.requests[0]?.headers.authorization).toBeUndefined();
  });

  test('a host name is resolved once and the connection goes to that address (Host stays the name)', async () => {
    let answers = 0;
    // A rebinding name: loopback (named exactly, so allowed) first, a private address after.
    const rebinding: Resolver = async () =>
      answers++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.0.0.1', family: 4 }];
    const { ctx } = httpContext({
      url: `http://echo.test:${echo.port}/x`,
      allowHosts: [`echo.test:${echo.port}`],
    });
    const executor = createHttpExecutor({ resolver: rebinding, connector: loopbackOnlyConnector });
    const result = asResult(await executor.execute(ctx));
    expect(answers).toBe(1);
    expect(echo.requests[0]?.headers.host).toBe(`echo.test:${echo.port}`);
    expect(result.details).toMatchObject({ address: '127.0.0.1', status: 200 });
  });

  test('a text response stays text; only safe headers are kept', async () => {
    const { result } = await run({ ...base(), method: 'GET', url: `${echo.origin}/text` });
    expect(result.output).toEqual({
      status: 200,
      headers: expect.objectContaining({ 'content-type': 'text/plain; charset=utf-8' }),
      body: 'plain words',
    });
    expect(JSON.stringify(result.output)).not.toContain('set-cookie');
  });

  test('a GET without a body sends none', async () => {
    await run({ ...base(), method: 'GET' });
    expect(echo.requests[0]).toMatchObject({ method: 'GET', body: '' });
    expect(echo.requests[0]?.headers['content-type']).toBeUndefined();
  });

  test('httpExecutor is registered in builtinExecutors', () => {
    expect(builtinExecutors.filter((e) => e.kind === 'http')).toEqual([httpExecutor]);
    expect(httpExecutor.pure).toBe(false);
  });
});

describe('http executor: input that must not become a request', () => {
  test.each([
    [
      'a line break in a header',
      '/x',
      { 'X-Id': '{{ input.v }}' },
      'a\r\nX-Injected: 1',
      'HTTP_BAD_HEADER',
      /headers\.X-Id/,
    ],
    [
      '".." as a path segment',
      '/items/{{ input.v }}',
      {},
      '..',
      'EXPRESSION_FAILED',
      /would change the path/,
    ],
    [
      '"." as a path segment',
      '/items/{{ input.v }}/x',
      {},
      '.',
      'EXPRESSION_FAILED',
      /would change the path/,
    ],
    ['a failing expression', '/items/{{ input.missing }}', {}, 'x', 'EXPRESSION_FAILED', /^url: /],
    [
      'a failing header expression',
      '/x',
      { 'X-A': '{{ input.missing }}' },
      'x',
      'EXPRESSION_FAILED',
      /^headers\.X-A: /,
    ],
  ])('%s → %s', async (_name, path, headers, v, code, message) => {
    const error = await failure({ ...base(), url: `${echo.origin}${path}`, headers }, { input: { v } });
    expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(echo.requests).toHaveLength(0);
  });

  test.each(['Host', 'content-length', 'Transfer-Encoding', 'Connection'])(
    'a config that sets %s is refused before anything is sent',
    async (name) => {
      expect(HttpConfig.safeParse({ ...base(), headers: { [name]: 'x' } }).success).toBe(false);
      // A config that skipped the compiler is parsed again by the executor.
      const { ctx } = httpContext(base());
      ctx.config.headers[name] = 'x';
      await expect(executor().execute(ctx)).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/set by the executor/),
      });
      expect(echo.requests).toHaveLength(0);
    },
  );

  test('a value cannot change the host: "@", "/" and "#" are encoded', async () => {
    await run(
      { ...base(), url: `${echo.origin}/items/{{ input.v }}` },
      { input: { v: '@evil.example.org/#x' } },
    );
    expect(echo.requests[0]?.url).toBe('/items/%40evil.example.org%2F%23x');
  });
});

describe('http executor: responses that fail the step', () => {
  test.each([
    [404, false],
    [400, false],
    [500, false],
    [429, true],
    [502, true],
    [503, true],
    [504, true],
  ])('HTTP %i → HTTP_%i, retryable: %s', async (status, retryable) => {
    const error = await failure({ ...base(), url: `${echo.origin}/status/${status}` });
    expect(error).toMatchObject({ code: `HTTP_${status}`, retryable });
    expect(error.message).toContain(`HTTP ${status}`);
  });

  test('429 with Retry-After says when to retry', async () => {
    const error = await failure({ ...base(), url: `${echo.origin}/status/429?retryAfter=7` });
    expect(error).toMatchObject({
      code: 'HTTP_429',
      retryable: true,
      message: expect.stringMatching(/retry after 7 s/),
    });
    expect(error.cause).toMatchObject({ status: 429, retryAfterSeconds: 7 });
  });

  test('a body that breaks responseSchema', async () => {
    const error = await failure({
      ...base(),
      responseSchema: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id', 'total'] },
    });
    expect(error).toMatchObject({ code: 'HTTP_RESPONSE_INVALID', retryable: false });
    expect(error.message).toMatch(/#\/id/);
  });

  test('a body that fits responseSchema passes', async () => {
    const { result } = await run({
      ...base(),
      responseSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
    });
    expect(result.output).toMatchObject({ status: 200, body: { id: 'item-42' } });
  });

  test('JSON that does not parse', async () => {
    const error = await failure({ ...base(), url: `${echo.origin}/bad-json` });
    expect(error).toMatchObject({ code: 'HTTP_BAD_RESPONSE', retryable: false });
  });
});

describe('http executor: limits', () => {
  test.each([
    ['declared by content-length', ''],
    ['streamed in chunks', '&chunked=1'],
  ])('a response larger than maxResponseBytes (%s)', async (_name, extra) => {
    const error = await failure({
      ...base(),
      url: `${echo.origin}/big?bytes=5000${extra}`,
      limits: { maxResponseBytes: 1000 },
    });
    expect(error).toMatchObject({ code: 'HTTP_RESPONSE_TOO_LARGE', retryable: false });
  });

  test('a response at the limit is fine', async () => {
    const { result } = await run({
      ...base(),
      url: `${echo.origin}/big?bytes=1000`,
      limits: { maxResponseBytes: 1000 },
    });
    expect(result.output).toMatchObject({ status: 200 });
  });

  test('a server that never answers hits timeoutMs (retryable)', async () => {
    const error = await failure({ ...base(), url: `${echo.origin}/hang`, limits: { timeoutMs: 100 } });
    expect(error).toMatchObject({
      code: 'HTTP_TIMEOUT',
      retryable: true,
      message: expect.stringMatching(/timeoutMs/),
    });
  });

  test('the step signal aborts the request in flight', async () => {
    const controller = new AbortController();
    echo.onRequest = () => controller.abort(new Error('run cancelled'));
    const error = await failure(
      { ...base(), url: `${echo.origin}/hang`, limits: { timeoutMs: 300_000 } },
      { signal: controller.signal },
    );
    expect(error).toMatchObject({ code: 'HTTP_ABORTED', retryable: false });
  });

  test('redirects are followed up to maxRedirects, each re-checked', async () => {
    const to = encodeURIComponent(`${echo.origin}/final`);
    const { result } = await run({
      ...base(),
      method: 'GET',
      url: `${echo.origin}/redirect?to=${to}`,
      limits: { maxRedirects: 1 },
    });
    expect(echo.requests.map((r) => r.url)).toEqual([`/redirect?to=${to}`, '/final']);
    expect(result.details).toMatchObject({ redirects: [`${echo.origin}/final`] });
  });

  test('one redirect too many', async () => {
    const inner = encodeURIComponent(`${echo.origin}/final`);
    const outer = encodeURIComponent(`${echo.origin}/redirect?to=${inner}`);
    const error = await failure({
      ...base(),
      url: `${echo.origin}/redirect?to=${outer}`,
      limits: { maxRedirects: 1 },
    });
    expect(error).toMatchObject({ code: 'HTTP_TOO_MANY_REDIRECTS', retryable: false });
    expect(echo.requests).toHaveLength(2);
  });

  test('with maxRedirects 0 a redirect is not followed', async () => {
    const error = await failure({ ...base(), url: `${echo.origin}/redirect?to=%2Ffinal` });
    expect(error).toMatchObject({ code: 'HTTP_TOO_MANY_REDIRECTS' });
    expect(echo.requests).toHaveLength(1);
  });

  test('303 turns a POST into a GET without body', async () => {
    await run({
      ...base(),
      url: `${echo.origin}/redirect?code=303&to=%2Ffinal`,
      body: { a: '1' },
      limits: { maxRedirects: 1 },
    });
    expect(echo.requests.map((r) => [r.method, r.body])).toEqual([
      ['POST', '{"a":1}'],
      ['GET', ''],
    ]);
  });

  test('a redirect to another origin drops the credential, keeps the idempotency key', async () => {
    const to = encodeURIComponent(`${other.origin}/elsewhere`);
    await run(
      {
        url: `${echo.origin}/redirect?code=307&to=${to}`,
        allowHosts: [`127.0.0.1:${echo.port}`, `127.0.0.1:${other.port}`],
        credential: 'api-key',
        limits: { maxRedirects: 2 },
      },
      { credentials: { 'api-key': CANARY } },
    );
    expect(echo.requests[0]?.headers.authorization).toBe(`Bearer ${CANARY}`);
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
    expect(other.requests[0]?.headers['idempotency-key']).toBe('idem-run-1-call-1');
  });
});

describe('http executor: compensation', () => {
  test('sends the compensation request with the output in scope and its own idempotency key', async () => {
    const config = {
      ...base(),
      credential: 'api-key',
      compensation: {
        method: 'DELETE',
        url: `${echo.origin}/items/{{ output.body.id }}`,
        headers: { 'X-Reason': 'rollback of {{ string(output.status) }}' },
        body: { original: 'output.body.id', input: 'input.n' },
      },
    };
    const options = { input: { n: 5 }, credentials: { 'api-key': CANARY } };
    const { result } = await run(config, options);
    const { ctx } = httpContext(config, options);
    const undo = await executor().compensate?.({ ...ctx, output: result.output });
    expect(echo.requests[1]).toMatchObject({
      method: 'DELETE',
      url: '/items/item-42',
      headers: expect.objectContaining({
        'idempotency-key': 'idem-run-1-call-1:compensate',
        authorization: `Bearer ${CANARY}`,
        'x-reason': 'rollback of 200',
      }),
    });
    expect(JSON.parse(echo.requests[1]?.body ?? '')).toEqual({ original: 'item-42', input: 5 });
    expect(undo?.output).toMatchObject({ status: 200 });
    expect(JSON.stringify(undo)).not.toContain(CANARY);
  });

  test('the response schema types the call, not the compensation: an undo endpoint answers in its own shape', async () => {
    const config = {
      ...base(),
      responseSchema: { type: 'object', required: ['id'] },
      compensation: { method: 'POST', url: `${echo.origin}/text`, headers: {} },
    };
    const { result } = await run(config);
    const { ctx } = httpContext(config);
    const undo = await executor().compensate?.({ ...ctx, output: result.output });
    expect(undo?.output).toMatchObject({ status: 200, body: 'plain words' });
  });

  test('a node without a compensation request says so', async () => {
    const { ctx } = httpContext(base());
    await expect(executor().compensate?.({ ...ctx, output: {} })).rejects.toMatchObject({
      code: 'COMPENSATION_MISSING',
    });
    expect(echo.requests).toHaveLength(0);
  });

  test('the compensation request goes through the guard too', async () => {
    const { ctx } = httpContext({
      ...base(),
      compensation: { method: 'DELETE', url: 'http://[::ffff:7f00:1]/undo' },
    });
    await expect(executor().compensate?.({ ...ctx, output: {} })).rejects.toMatchObject({
      code: 'HTTP_TARGET_REFUSED',
    });
  });
});
