// One streamed model call through the AI SDK: tokens go to the live stream as they arrive, the token
// budget is checked on every delta, and what comes back is the final text, usage and finish reason.
import type { JsonSchema } from '@sluice/spec';
import { type JSONSchema7, jsonSchema, type LanguageModel, Output, streamText } from 'ai';
import { StepError } from '../executor.js';
import { estimateTokens, type TokenBudget } from './budget.js';
import { callError } from './call-errors.js';
import { strictCompatible } from './structured-output.js';

/**
 * Retries the SDK makes itself for 429/5xx/connection errors before the first token, honouring
 * `Retry-After` (0–60 s) within the step's timeout. When they are spent the step fails retryable and
 * the node's retry policy (with its own backoff) decides whether to run the step again.
 */
export const SDK_RETRIES = 2;

export interface ModelCall {
  model: LanguageModel;
  provider: string;
  system: string;
  prompt: string;
  temperature: number;
  maxTokens: number;
  outputSchema?: JsonSchema;
  signal: AbortSignal;
  headers: Record<string, string>;
  /** Redacted from every error message. */
  secret?: string;
  budget: TokenBudget;
  onDelta(delta: string): void;
}

export interface ModelReply {
  text: string;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number; estimated?: true };
  finishReason: string;
}

/**
 * Streams the reply. Throws a StepError on a provider error, a malformed or cut stream, a budget
 * overrun (the stream is aborted at once) or when `signal` aborts (`AI_ABORTED`).
 *
 * @example
 * const reply = await callModel({ model, provider: 'openai', system: '', prompt: 'Hi', … });
 */
export async function callModel(call: ModelCall): Promise<ModelReply> {
  const stop = new AbortController();
  const signal = AbortSignal.any([call.signal, stop.signal]);
  const result = streamText({
    model: call.model,
    instructions: call.system === '' ? undefined : call.system,
    prompt: call.prompt,
    temperature: call.temperature,
    maxOutputTokens: call.maxTokens,
    maxRetries: SDK_RETRIES,
    abortSignal: signal,
    headers: call.headers,
    ...(call.outputSchema ? structured(call.outputSchema) : {}),
    // Errors are read from the stream below; without a handler the SDK would print them.
    onError: () => {},
  });
  let text = '';
  let failure: unknown;
  let finish: { finishReason: string; usage: ModelReply['usage'] | undefined } | undefined;
  try {
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') {
        call.budget.addDelta(part.text);
        text += part.text;
        call.onDelta(part.text);
      } else if (part.type === 'error') {
        failure ??= part.error;
      } else if (part.type === 'finish') {
        finish = { finishReason: part.finishReason, usage: reported(part.totalUsage) };
      }
    }
  } catch (error) {
    stop.abort(error);
    if (error instanceof StepError) throw error;
    failure ??= error;
  }
  if (call.signal.aborted) {
    throw new StepError('AI_ABORTED', `the call to ${call.provider} was cancelled mid-reply`, {
      cause: call.signal.reason,
    });
  }
  if (failure !== undefined) throw callError(failure, { secret: call.secret, provider: call.provider });
  if (finish === undefined || finish.finishReason === 'error') {
    throw new StepError('AI_CALL_FAILED', `the reply from ${call.provider} ended without finishing`, {
      retryable: true,
    });
  }
  const usage = finish.usage ?? estimated(call, text);
  call.budget.checkFinal(usage.totalTokens);
  return { text, usage, finishReason: finish.finishReason };
}

function reported(usage: {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  totalTokens: number | undefined;
}): ModelReply['usage'] | undefined {
  const { inputTokens, outputTokens } = usage;
  if (inputTokens === undefined || outputTokens === undefined) return undefined;
  return { inputTokens, outputTokens, totalTokens: usage.totalTokens ?? inputTokens + outputTokens };
}

/** When the provider reports no usage: the same estimate the budget used, marked as one. */
function estimated(call: ModelCall, text: string): ModelReply['usage'] {
  const inputTokens = estimateTokens(call.system + call.prompt);
  const outputTokens = estimateTokens(text);
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, estimated: true };
}

/** The SDK options for structured output: the schema, strict where the provider would accept it. */
function structured(schema: JsonSchema) {
  const strict = { strictJsonSchema: strictCompatible(schema) };
  return {
    output: Output.object({ schema: jsonSchema(toJsonSchema7(schema)) }),
    providerOptions: { openai: strict, azure: strict, openaiCompatible: strict },
  };
}

/** Our JSON Schema subset as the SDK's JSON Schema 7 type (a plain JSON copy: same document). */
function toJsonSchema7(schema: JsonSchema): JSONSchema7 {
  const copy: JSONSchema7 = JSON.parse(JSON.stringify(schema));
  return copy;
}
