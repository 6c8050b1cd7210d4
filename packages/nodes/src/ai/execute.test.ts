import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { StepError, type StepResult, type StepWait } from '../executor.js';
import { type ModelServer, startModelServer } from '../testing/model-server.js';
import { testContext, type TestContextOptions } from '../testing/executor-context.js';
import { AiConfig } from './config.js';
import { aiExecutor } from './execute.js';

const CANARY = 'sk-canary-7f3e9d21-do-not-leak';
let server: ModelServer;

beforeAll(async () => {
  server = await startModelServer();
});
afterAll(() => server.close());
afterEach(async () => {
  await server.settled();
  server.requests.length = 0;
});

/** A compatible-provider config pointed at the fixture server, with the canary key. */
function config(overrides: Record<string, unknown> = {}): AiConfig {
  return AiConfig.parse({
    provider: 'openai-compatible',
    model: 'fixture-model',
    baseUrl: server.url,
    credential: 'model-key',
    prompt: 'Summarise {{ input.subject }}',
    ...overrides,
  });
}

function context(cfg: AiConfig, options: Omit<TestContextOptions<AiConfig>, 'config'> = {}) {
  return testContext({
    config: cfg,
    credentials: { 'model-key': CANARY },
    input: { subject: 'x' },
    ...options,
  });
}

async function run(cfg: AiConfig, options: Omit<TestContextOptions<AiConfig>, 'config'> = {}) {
  const { ctx, recording } = context(cfg, options);
  const result = asResult(await aiExecutor.execute(ctx));
  return { result, recording };
}

async function failure(cfg: AiConfig, options: Omit<TestContextOptions<AiConfig>, 'config'> = {}) {
  const { ctx, recording } = context(cfg, options);
  const error = await Promise.resolve()
    .then(() => aiExecutor.execute(ctx))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!(error instanceof StepError)) throw new Error(`expected a StepError, got ${String(error)}`);
  return { error, recording };
}

function asResult(outcome: StepResult | StepWait): StepResult {
  if ('wait' in outcome) throw new Error('the ai step never waits');
  return outcome;
}

const texts = (recording: { streamed: { kind: string }[] }) =>
  recording.streamed.flatMap((c) => ('delta' in c && typeof c.delta === 'string' ? [c.delta] : []));

describe('ai executor against a loopback model server', () => {
  test('streams each token to subscribers as it arrives; the output is their concatenation', async () => {
    server.script({ tokens: ['The', ' ticket', ' is', ' about', ' billing', '.'] });
    const { result, recording } = await run(config());
    expect(texts(recording)).toEqual(['The', ' ticket', ' is', ' about', ' billing', '.']);
    expect(result.output).toEqual({ text: 'The ticket is about billing.' });
    expect(result.details).toMatchObject({
      provider: 'openai-compatible',
      model: 'fixture-model',
      parameters: { temperature: 0.2, maxTokens: 1024 },
      prompt: 'Summarise x',
      reply: 'The ticket is about billing.',
      finishReason: 'stop',
      usage: { inputTokens: 3, outputTokens: 6, totalTokens: 9 },
    });
    expect(result.details).not.toHaveProperty('notAModel');
    expect(result.tokens).toBe(9);
    const body = server.requests[0]?.body;
    expect(body).toMatchObject({ model: 'fixture-model', stream: true, temperature: 0.2, max_tokens: 1024 });
    expect(body?.stream_options).toEqual({ include_usage: true });
  });

  test('renders the system prompt and prompt templates from the input', async () => {
    const cfg = config({
      system: 'You answer for {{ input.team }}.',
      prompt: 'Refund {{ input.amount }} to {{ input.customer.name }}; tags {{ input.tags }}',
    });
    const input = { team: 'billing', amount: 12.5, customer: { name: 'Ada' }, tags: ['vip', 'eu'] };
    const { result } = await run(cfg, { input });
    const sent = server.requests[0]?.body?.messages;
    expect(sent).toEqual([
      { role: 'system', content: 'You answer for billing.' },
      { role: 'user', content: 'Refund 12.5 to Ada; tags ["vip","eu"]' },
    ]);
    expect(result.details).toMatchObject({
      system: 'You answer for billing.',
      prompt: 'Refund 12.5 to Ada; tags ["vip","eu"]',
    });
  });

  test('a template part that cannot be evaluated fails the step before any call', async () => {
    const { error } = await failure(config({ prompt: 'Hi {{ input.missing.name }}' }));
    expect(error.code).toBe('PROMPT_RENDER_FAILED');
    expect(error.message).toMatch(/^config\.prompt \(characters 6–24\): /);
    expect(server.requests).toHaveLength(0);
  });

  test('the credential is sent as the bearer key and appears in no detail, output, log or stream', async () => {
    server.script({ tokens: ['ok'] });
    const { result, recording } = await run(config());
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${CANARY}`);
    expect(server.requests[0]?.headers['idempotency-key']).toBe('idem-run-test-node-test-1');
    expect(recording.credentialsAsked).toEqual(['model-key']);
    const everything = JSON.stringify({ result, logs: recording.logs, streamed: recording.streamed });
    expect(everything).not.toContain(CANARY);
    expect(everything).not.toContain('canary');
  });

  test('a provider error that echoes the key never carries it into the step error', async () => {
    server.script({ status: 401, errorMessage: `Incorrect API key provided: ${CANARY}` });
    const { error, recording } = await failure(config());
    expect(error.code).toBe('AI_UNAUTHORIZED');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('[credential]');
    expect(JSON.stringify({ message: error.message, logs: recording.logs })).not.toContain(CANARY);
  });

  test('providers that need a key fail without one, and never read it from the environment', async () => {
    process.env.OPENAI_API_KEY = 'sk-from-the-environment';
    try {
      const { error } = await failure(config({ provider: 'openai', credential: undefined }));
      expect(error.code).toBe('AI_CREDENTIAL_MISSING');
      expect(server.requests).toHaveLength(0);
    } finally {
      delete process.env.OPENAI_API_KEY;
    }
  });

  test.each([
    ['openai', (server0) => server0.url, 'authorization', `Bearer ${CANARY}`],
    ['ollama', (server0) => server0.url.replace(/\/v1$/, ''), 'authorization', `Bearer ${CANARY}`],
    // A base URL that is not an Azure host is used as it is (a gateway in front of Azure).
    ['azure', (server0) => server0.url, 'api-key', CANARY],
  ] satisfies [string, (s: ModelServer) => string, string, string][])(
    '%s calls /v1/chat/completions with its key header',
    async (provider, baseUrl, header, value) => {
      server.script({ tokens: ['hello'] });
      const { result } = await run(config({ provider, baseUrl: baseUrl(server) }));
      expect(result.output).toEqual({ text: 'hello' });
      const request = server.requests[0];
      expect(new URL(request?.path ?? '', 'http://x').pathname).toBe('/v1/chat/completions');
      expect(request?.headers[header]).toBe(value);
    },
  );

  test('anthropic streams through /v1/messages with its key header and a top-level system prompt', async () => {
    server.script({ tokens: ['Bonjour', ' Ada'] });
    const cfg = config({ provider: 'anthropic', system: 'Be brief.', prompt: 'Greet {{ input.subject }}' });
    const { result, recording } = await run(cfg, { input: { subject: 'Ada' } });
    expect(texts(recording)).toEqual(['Bonjour', ' Ada']);
    expect(result.output).toEqual({ text: 'Bonjour Ada' });
    expect(result.details).toMatchObject({ provider: 'anthropic', finishReason: 'stop' });
    expect(result.tokens).toBe(Math.ceil('Be brief.\nGreet Ada'.length / 4) + 2);
    const request = server.requests[0];
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers['x-api-key']).toBe(CANARY);
    expect(request?.messagesBody).toMatchObject({ model: 'fixture-model', max_tokens: 1024, stream: true });
    expect(JSON.stringify(request?.messagesBody?.system)).toContain('Be brief.');
  });

  describe('structured output', () => {
    const schema = {
      type: 'object',
      properties: { category: { type: 'string', enum: ['billing', 'bug'] }, urgency: { type: 'integer' } },
      required: ['category', 'urgency'],
      additionalProperties: false,
    };

    test('sends the schema as a json_schema response format and returns the object', async () => {
      server.script({ object: { category: 'billing', urgency: 2 } });
      const { result, recording } = await run(config({ outputSchema: schema }));
      expect(result.output).toEqual({ category: 'billing', urgency: 2 });
      expect(texts(recording).join('')).toBe('{"category":"billing","urgency":2}');
      const format = server.requests[0]?.body?.response_format;
      expect(format?.type).toBe('json_schema');
      expect(format?.json_schema?.schema).toMatchObject(schema);
      expect(format?.json_schema).toMatchObject({ strict: true });
    });

    test('a schema that strict mode would refuse is sent non-strict, and the reply still checked', async () => {
      const loose = { type: 'object', properties: { note: { type: 'string' } } };
      server.script({ object: { note: 'fine' } });
      const { result } = await run(config({ outputSchema: loose }));
      expect(result.output).toEqual({ note: 'fine' });
      expect(server.requests[0]?.body?.response_format?.json_schema).toMatchObject({ strict: false });
    });

    test('a reply that does not fit fails retryably, listing what is wrong and where', async () => {
      server.script({ object: { category: 'sales', urgency: 'high' } });
      const { error } = await failure(config({ outputSchema: schema }));
      expect(error.code).toBe('AI_OUTPUT_INVALID');
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/\/category: .*billing/);
      expect(error.message).toContain('/urgency');
      expect(error.cause).toMatchObject({
        problems: expect.arrayContaining([expect.objectContaining({ at: '/urgency' })]),
      });
    });

    test('a reply that is not JSON fails the same way', async () => {
      server.script({ tokens: ['Sure! ', 'Here you go'] });
      const { error } = await failure(config({ outputSchema: schema }));
      expect(error.code).toBe('AI_OUTPUT_INVALID');
      expect(error.message).toMatch(/not JSON/);
    });
  });

  describe('rate limits', () => {
    test('a 429 with Retry-After is retried by the call itself, and the step succeeds', async () => {
      server.script({ status: 429, retryAfter: '0' }, { tokens: ['after', ' waiting'] });
      const { result } = await run(config());
      expect(result.output).toEqual({ text: 'after waiting' });
      expect(server.requests).toHaveLength(2);
    });

    test('when the retries are spent the step fails retryably, for the node’s retry policy', async () => {
      const limited = { status: 429, retryAfter: '0' };
      server.script(limited, limited, limited);
      const { error } = await failure(config());
      expect(error.code).toBe('AI_RATE_LIMITED');
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/after 3 tries/);
      expect(server.requests).toHaveLength(3);
    });
  });

  describe('token budget', () => {
    // Two characters each: the budget counts them as one token per delta.
    const many = Array.from({ length: 200 }, () => ' w');

    test('a step stops mid-stream once it would pass its own budget', async () => {
      server.script({ tokens: many, delayMs: 5 });
      const { error, recording } = await failure(config({ budget: { stepTokens: 20 } }));
      expect(error.code).toBe('TOKEN_BUDGET_EXCEEDED');
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/past its budget of 20/);
      // prompt ≈ 3 tokens: the 18th delta would pass 20 and is not streamed.
      expect(texts(recording)).toHaveLength(17);
      await server.settled();
      expect(server.requests[0]?.outcome).toBe('client-closed');
    });

    test('a step stops once the run’s tokens with this step’s would pass the run budget', async () => {
      server.script({ tokens: many, delayMs: 5 });
      const { error, recording } = await failure(config({ budget: { runTokens: 1000 } }), { runTokens: 990 });
      expect(error.code).toBe('TOKEN_BUDGET_EXCEEDED');
      expect(error.message).toMatch(/run's budget of 1000/);
      expect(texts(recording)).toHaveLength(7);
    });

    test('a run already over its budget is refused before any call', async () => {
      const { error } = await failure(config({ budget: { runTokens: 500 } }), { runTokens: 500 });
      expect(error.code).toBe('TOKEN_BUDGET_EXCEEDED');
      expect(error.message).toMatch(/already used 500 of its 500-token budget/);
      expect(server.requests).toHaveLength(0);
    });

    test('the provider’s reported usage is checked too', async () => {
      server.script({ tokens: ['short'], usage: { promptTokens: 400, completionTokens: 1 } });
      const { error } = await failure(config({ budget: { stepTokens: 100 } }));
      expect(error.code).toBe('TOKEN_BUDGET_EXCEEDED');
      expect(error.message).toMatch(/used 401 tokens/);
    });

    test('a step within its budgets succeeds and reports its tokens', async () => {
      server.script({ tokens: ['a', 'b'] });
      const { result } = await run(config({ budget: { stepTokens: 100, runTokens: 100 } }), {
        runTokens: 50,
      });
      expect(result.tokens).toBe(5);
    });
  });

  test('cancelling mid-stream ends the call promptly and the server sees the connection closed', async () => {
    // 100 tokens 200 ms apart would take 20 s: the test's own timeout fails it if the abort is ignored.
    server.script({ tokens: Array.from({ length: 100 }, (_, i) => ` t${i}`), delayMs: 200 });
    const controller = new AbortController();
    const { error, recording } = await failure(config(), {
      signal: controller.signal,
      onStream: (_chunk, rec) => {
        if (rec.streamed.length === 3) controller.abort(new Error('run cancelled'));
      },
    });
    expect(error.code).toBe('AI_ABORTED');
    expect(recording.streamed).toHaveLength(3);
    await server.settled();
    expect(server.requests[0]?.outcome).toBe('client-closed');
  });

  test('a malformed chunk fails the step with a clear, retryable error', async () => {
    server.script({ tokens: ['one', ' two', ' three'], malformedAfter: 1 });
    const { error } = await failure(config());
    expect(error.code).toBe('AI_RESPONSE_MALFORMED');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^openai-compatible sent a malformed response chunk: /);
  });

  test('a connection dropped mid-stream fails the step with a clear, retryable error', async () => {
    server.script({ tokens: ['one', ' two', ' three', ' four'], dropAfter: 2 });
    const { error, recording } = await failure(config());
    expect(error.code).toBe('AI_CONNECTION_LOST');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/other side closed/);
    expect(texts(recording)).toEqual(['one', ' two']);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.outcome).toBe('dropped');
  });
});

describe('offline provider', () => {
  const offline = (overrides: Record<string, unknown> = {}) =>
    AiConfig.parse({
      provider: 'offline',
      model: 'echo',
      prompt: 'Summarise {{ input.subject }}',
      ...overrides,
    });

  test('is deterministic, makes no call, and says it is not a model in text, details and logs', async () => {
    const first = await run(offline(), { input: { subject: 'the Q3 invoice' } });
    const second = await run(offline(), { input: { subject: 'the Q3 invoice' } });
    expect(first.result.output).toEqual(second.result.output);
    expect(first.result.output).toEqual({
      text: '[offline — not a model] Received a prompt of 24 characters: "Summarise the Q3 invoice"',
    });
    expect(first.result.details).toMatchObject({ provider: 'offline', notAModel: true, model: 'echo' });
    expect(first.result.tokens).toBe(0);
    expect(texts(first.recording).join('')).toBe(
      '[offline — not a model] Received a prompt of 24 characters: "Summarise the Q3 invoice"',
    );
    expect(first.recording.logs.some((l) => l.level === 'warn' && l.message.includes('not a model'))).toBe(
      true,
    );
    expect(first.recording.credentialsAsked).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  test('builds a labelled structured reply from the output schema', async () => {
    const outputSchema = {
      type: 'object',
      properties: {
        summary: { type: 'string' },
        category: { enum: ['billing', 'bug'] },
        score: { type: 'integer', minimum: 1 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
      },
      required: ['summary', 'category', 'score'],
    };
    const { result } = await run(offline({ outputSchema }));
    expect(result.output).toEqual({
      summary: '[offline — not a model]',
      category: 'billing',
      score: 1,
      tags: ['[offline — not a model]'],
    });
    expect(result.details).toMatchObject({ notAModel: true });
  });

  test('is never chosen for a step configured with a real provider', async () => {
    const { error } = await failure(config({ provider: 'anthropic', credential: undefined }));
    expect(error.code).toBe('AI_CREDENTIAL_MISSING');
  });
});
