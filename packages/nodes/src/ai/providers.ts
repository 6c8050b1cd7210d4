// The language model an AI step calls, built per call from the node's provider, base URL and the API
// key fetched for this one call. The offline provider is not here: it is not a model (see offline.ts).
import { createAnthropic } from '@ai-sdk/anthropic';
import { createAzure } from '@ai-sdk/azure';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { StepError } from '../executor.js';
import type { AiConfig } from './config.js';

/** A provider that calls a real model over HTTP. */
export type ModelProvider = Exclude<AiConfig['provider'], 'offline'>;

/**
 * The model for one call. Providers that need a key get it only from `apiKey` (never from the process
 * environment: a missing credential fails the step rather than silently using someone else's key).
 *
 * @example
 * languageModel({ provider: 'openai', model: 'gpt-4o-mini' }, 'sk-…'); // OpenAI chat completions
 */
export function languageModel(
  config: Pick<AiConfig, 'model' | 'baseUrl'> & { provider: ModelProvider },
  apiKey: string | undefined,
): LanguageModel {
  const baseURL = config.baseUrl === undefined ? undefined : trimSlash(config.baseUrl);
  switch (config.provider) {
    case 'openai':
      return createOpenAI({ apiKey: required(apiKey, 'openai'), baseURL }).chat(config.model);
    case 'anthropic':
      return createAnthropic({ apiKey: required(apiKey, 'anthropic'), baseURL }).languageModel(config.model);
    case 'azure':
      return createAzure({ apiKey: required(apiKey, 'azure'), baseURL: needsUrl(baseURL, 'azure') }).chat(
        config.model,
      );
    case 'ollama':
      // Ollama speaks the OpenAI chat API under /v1 of its server.
      return compatible('ollama', withV1(needsUrl(baseURL, 'ollama')), apiKey, config.model);
    case 'openai-compatible':
      return compatible('openai-compatible', needsUrl(baseURL, 'openai-compatible'), apiKey, config.model);
  }
}

function compatible(name: string, baseURL: string, apiKey: string | undefined, model: string): LanguageModel {
  return createOpenAICompatible({
    name,
    baseURL,
    apiKey,
    includeUsage: true,
    supportsStructuredOutputs: true,
  }).chatModel(model);
}

function required(apiKey: string | undefined, provider: string): string {
  if (apiKey === undefined || apiKey === '') {
    throw new StepError('AI_CREDENTIAL_MISSING', `${provider} needs an API key: set the node's credential`);
  }
  return apiKey;
}

function needsUrl(baseURL: string | undefined, provider: string): string {
  if (baseURL === undefined) {
    throw new StepError(
      'AI_BASE_URL_MISSING',
      `${provider} needs the base URL of its server: set config.baseUrl`,
    );
  }
  return baseURL;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function withV1(url: string): string {
  return /\/v1$/.test(url) ? url : `${url}/v1`;
}
