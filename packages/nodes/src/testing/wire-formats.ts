// The two wire formats the fixture model server speaks: OpenAI chat completions and Anthropic
// messages (request bodies as zod schemas; replies whole or as Server-Sent Events).
import { z } from 'zod';

const Content = z.union([
  z.string(),
  z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
]);
const Message = z.looseObject({ role: z.string(), content: Content });

/** The part of an OpenAI chat-completions request body the server reads. */
export const ChatRequest = z.looseObject({
  model: z.string().min(1),
  messages: z.array(Message).min(1),
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

/** The part of an Anthropic messages request body the server reads. */
export const MessagesRequest = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(Message).min(1),
  system: Content.optional(),
  stream: z.boolean().optional(),
  temperature: z.number().optional(),
});
export type MessagesRequest = z.infer<typeof MessagesRequest>;

/** How one reply is written in a wire format. */
export interface Wire {
  complete(text: string, finishReason: 'stop' | 'length'): object;
  start(): string[];
  delta(piece: string): string;
  /** A chunk that is not JSON. */
  malformed(): string;
  end(finishReason: 'stop' | 'length', includeUsage: boolean): string[];
}

type Usage = { promptTokens: number; completionTokens: number };
let sequence = 0;

/** OpenAI chat completions: `data: {chunk}` events, usage in a last chunk when asked, `data: [DONE]`. */
export function openaiWire(model: string, usage: Usage): Wire {
  const base = { id: `chatcmpl-fixture-${++sequence}`, created: Math.floor(Date.now() / 1000), model };
  const usageJson = {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
  };
  const chunk = (body: object) =>
    `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', ...body })}\n\n`;
  const choice = (delta: object, finish: string | null = null) =>
    chunk({ choices: [{ index: 0, delta, finish_reason: finish }] });
  return {
    complete: (text, finishReason) => ({
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finishReason }],
      usage: usageJson,
    }),
    start: () => [choice({ role: 'assistant', content: '' })],
    delta: (piece) => choice({ content: piece }),
    malformed: () => 'data: {"id": "broken", "choices": [{"delta": {"content": \n\n',
    end: (finishReason, includeUsage) => [
      choice({}, finishReason),
      ...(includeUsage ? [chunk({ choices: [], usage: usageJson })] : []),
      'data: [DONE]\n\n',
    ],
  };
}

/** Anthropic messages: named events from `message_start` to `message_stop`. */
export function anthropicWire(model: string, usage: Usage): Wire {
  const id = `msg_fixture_${++sequence}`;
  const event = (type: string, body: object) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`;
  const stopReason = (finish: 'stop' | 'length') => (finish === 'stop' ? 'end_turn' : 'max_tokens');
  const message = { id, type: 'message', role: 'assistant', model, stop_sequence: null };
  return {
    complete: (text, finishReason) => ({
      ...message,
      content: [{ type: 'text', text }],
      stop_reason: stopReason(finishReason),
      usage: { input_tokens: usage.promptTokens, output_tokens: usage.completionTokens },
    }),
    start: () => [
      event('message_start', {
        message: {
          ...message,
          content: [],
          stop_reason: null,
          usage: { input_tokens: usage.promptTokens, output_tokens: 0 },
        },
      }),
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ],
    delta: (piece) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } }),
    malformed: () => 'event: content_block_delta\ndata: {"type": "content_block_delta", "index": \n\n',
    end: (finishReason) => [
      event('content_block_stop', { index: 0 }),
      event('message_delta', {
        delta: { stop_reason: stopReason(finishReason), stop_sequence: null },
        usage: { output_tokens: usage.completionTokens },
      }),
      event('message_stop', {}),
    ],
  };
}
