import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { type ModelServer, startModelServer } from './model-server.js';

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer();
});
afterAll(() => server.close());
afterEach(async () => {
  await server.settled();
  server.requests.length = 0;
});

const post = (body: unknown, path = '/chat/completions') =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
    body: JSON.stringify(body),
  });
const ask = { model: 'm', messages: [{ role: 'user', content: 'hello there' }] };

test('answers a non-streaming request with one JSON completion and usage', async () => {
  server.script({ tokens: ['Hi', '!'] });
  const response = await post(ask);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({
    object: 'chat.completion',
    model: 'm',
    choices: [{ message: { role: 'assistant', content: 'Hi!' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  });
  expect(server.requests[0]).toMatchObject({ path: '/v1/chat/completions', outcome: 'completed' });
  expect(server.requests[0]?.headers.authorization).toBe('Bearer k');
});

test('streams SSE chunks, then usage only when asked, then [DONE]; unscripted requests are echoed', async () => {
  const events = async (body: unknown) =>
    (await (await post(body)).text()).split('\n\n').filter((e) => e !== '');
  const plain = await events({ ...ask, stream: true });
  expect(plain.at(-1)).toBe('data: [DONE]');
  const deltas = plain
    .slice(0, -1)
    .map((e) => JSON.parse(e.replace(/^data: /, '')))
    .map((c) => c.choices[0]?.delta.content ?? '');
  expect(deltas.join('')).toBe('You said: hello there');
  expect(plain.some((e) => e.includes('"usage"'))).toBe(false);
  const withUsage = await events({ ...ask, stream: true, stream_options: { include_usage: true } });
  expect(JSON.parse(withUsage.at(-2)?.replace(/^data: /, '') ?? '')).toMatchObject({
    choices: [],
    usage: { total_tokens: 3 + 4 },
  });
});

test('a scripted error status carries its Retry-After header', async () => {
  server.script({ status: 429, retryAfter: '7' });
  const response = await post(ask);
  expect(response.status).toBe(429);
  expect(response.headers.get('retry-after')).toBe('7');
  expect(await response.json()).toMatchObject({ error: { message: 'scripted status 429' } });
});

test.each([
  [{ model: 'm', messages: [] }, 400, /messages/],
  [{ messages: [{ role: 'user', content: 'x' }] }, 400, /model/],
])('refuses a request that is not a chat completion: %j', async (body, status, message) => {
  const response = await post(body);
  expect(response.status).toBe(status);
  expect(await response.json()).toMatchObject({ error: { message: expect.stringMatching(message) } });
  expect(server.requests[0]?.body).toBeUndefined();
});

test('other routes are 404 with a hint', async () => {
  const response = await post(ask, '/responses');
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({
    error: { message: expect.stringMatching(/speaks \/v1\/chat\/completions/) },
  });
});

test('answers Anthropic messages requests too, whole or as named events', async () => {
  server.script({ tokens: ['Hi'] }, { tokens: ['Hi', ' there'] });
  const messages = { model: 'm', max_tokens: 10, system: 'Be brief.', messages: ask.messages };
  const whole = await post(messages, '/messages');
  expect(await whole.json()).toMatchObject({
    type: 'message',
    content: [{ type: 'text', text: 'Hi' }],
    stop_reason: 'end_turn',
    usage: { input_tokens: Math.ceil('Be brief.\nhello there'.length / 4), output_tokens: 1 },
  });
  const streamed = await (await post({ ...messages, stream: true }, '/messages')).text();
  const types = [...streamed.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
  expect(types).toEqual([
    'message_start',
    'content_block_start',
    'content_block_delta',
    'content_block_delta',
    'content_block_stop',
    'message_delta',
    'message_stop',
  ]);
  expect(server.requests[1]?.messagesBody).toMatchObject({ system: 'Be brief.', stream: true });
});
