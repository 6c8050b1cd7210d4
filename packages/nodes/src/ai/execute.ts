// The AI step: renders the prompt, calls the model (streaming tokens live), checks structured output,
// and records what a reviewer needs on the step: model, parameters, prompt, reply, usage, latency.
import { type Executor, type ExecutorContext, StepError, type StepResult } from '../executor.js';
import { estimateTokens, TokenBudget } from './budget.js';
import type { AiConfig } from './config.js';
import type { callModel, ModelReply } from './model-call.js';
import { OFFLINE_LABEL, offlineObject, offlineText } from './offline.js';
import { renderPrompt, type RenderedPrompt } from './prompt.js';
import type { languageModel, ModelProvider } from './providers.js';
import { checkStructured, parseStructuredReply } from './structured-output.js';

interface Sdk {
  callModel: typeof callModel;
  languageModel: typeof languageModel;
}
let sdk: Promise<Sdk> | undefined;

/**
 * The AI SDK and its providers (~30 MB of a process's memory) load with the first AI step a process
 * runs, not with every server and worker, most of whose workflows may have none.
 */
function loadSdk() {
  sdk ??= Promise.all([import('./model-call.js'), import('./providers.js')]).then(([call, providers]) => ({
    callModel: call.callModel,
    languageModel: providers.languageModel,
  }));
  sdk.catch(() => (sdk = undefined));
  return sdk;
}

/**
 * Runs `ai` steps. Not pure: it calls a model over the network. The credential is fetched for this
 * one call and never logged, returned or stored; the `offline` provider makes no call and labels
 * everything it produces as not coming from a model.
 *
 * @example
 * const result = await aiExecutor.execute(ctx); // { output: { text }, details: { provider, model, … }, tokens }
 */
export const aiExecutor: Executor<AiConfig> = {
  kind: 'ai',
  pure: false,
  execute: (ctx) => {
    const rendered = renderPrompt(ctx.config, ctx);
    const budget = new TokenBudget(
      ctx.config.budget,
      ctx.usage.runTokens,
      estimateTokens(rendered.system + rendered.prompt),
    );
    budget.checkBeforeCall();
    const { provider } = ctx.config;
    if (provider === 'offline') return runOffline(ctx, rendered);
    return runModel(ctx, { ...ctx.config, provider }, rendered, budget);
  },
};

async function runModel(
  ctx: ExecutorContext<AiConfig>,
  config: AiConfig & { provider: ModelProvider },
  rendered: RenderedPrompt,
  budget: TokenBudget,
): Promise<StepResult> {
  const apiKey = config.credential === undefined ? undefined : await ctx.credential(config.credential);
  const { callModel, languageModel } = await loadSdk();
  const model = languageModel(config, apiKey);
  ctx.log('info', `calling ${config.provider} model ${config.model}`, {
    structured: config.outputSchema !== undefined,
    maxTokens: config.maxTokens,
  });
  const started = performance.now();
  const reply = await callModel({
    model,
    provider: config.provider,
    system: rendered.system,
    prompt: rendered.prompt,
    temperature: config.temperature,
    maxTokens: config.maxTokens,
    outputSchema: config.outputSchema,
    signal: ctx.signal,
    headers: { 'Idempotency-Key': ctx.idempotencyKey },
    secret: apiKey,
    budget,
    onDelta: (delta) => ctx.stream({ kind: 'text', delta }),
  });
  const latencyMs = Math.round(performance.now() - started);
  const output = config.outputSchema
    ? parseStructuredReply(config.outputSchema, reply.text)
    : { text: reply.text };
  ctx.log('info', `${config.provider} replied (${reply.finishReason}, ${reply.usage.totalTokens} tokens)`);
  return result(config, rendered, reply, output, latencyMs);
}

function runOffline(ctx: ExecutorContext<AiConfig>, rendered: RenderedPrompt): StepResult {
  const { config } = ctx;
  ctx.log('warn', `${OFFLINE_LABEL} the offline provider answered: no language model was called`);
  if (ctx.signal.aborted) throw new StepError('AI_ABORTED', 'the offline step was cancelled');
  const started = performance.now();
  const text = config.outputSchema
    ? JSON.stringify(offlineObject(config.outputSchema))
    : offlineText(rendered.prompt);
  for (const delta of text.split(/(?=\s)/)) ctx.stream({ kind: 'text', delta });
  const output = config.outputSchema ? checkStructured(config.outputSchema, JSON.parse(text)) : { text };
  const reply: ModelReply = {
    text,
    usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    finishReason: 'stop',
  };
  return result(config, rendered, reply, output, Math.round(performance.now() - started), true);
}

function result(
  config: AiConfig,
  rendered: RenderedPrompt,
  reply: ModelReply,
  output: unknown,
  latencyMs: number,
  notAModel?: true,
): StepResult {
  return {
    output,
    details: {
      provider: config.provider,
      model: config.model,
      parameters: { temperature: config.temperature, maxTokens: config.maxTokens },
      system: rendered.system,
      prompt: rendered.prompt,
      reply: reply.text,
      usage: reply.usage,
      latencyMs,
      finishReason: reply.finishReason,
      ...(notAModel ? { notAModel } : {}),
    },
    tokens: reply.usage.totalTokens,
  };
}
