import { CredentialRef, ObjectJsonSchema } from '@sluice/spec';
import { z } from 'zod';
import { Template } from '../shared/schemas.js';

export const AiProvider = z.enum(['openai', 'anthropic', 'azure', 'ollama', 'openai-compatible', 'offline']);
export type AiProvider = z.infer<typeof AiProvider>;

/**
 * Providers that need no credential: a local Ollama, OpenAI-compatible servers (many self-hosted ones
 * take no key) and the offline (deterministic, test) model.
 */
export const KEYLESS_PROVIDERS: readonly AiProvider[] = ['ollama', 'openai-compatible', 'offline'];
/** Providers that need a base URL. */
export const BASE_URL_PROVIDERS: readonly AiProvider[] = ['azure', 'ollama', 'openai-compatible'];

/**
 * A language-model call: provider and model, the credential that pays for it, a system prompt and a
 * prompt template (`{{ CEL }}` parts), an optional output JSON Schema for structured output, and
 * limits (temperature, max tokens, a cost ceiling in US dollars).
 */
export const AiConfig = z.strictObject({
  provider: AiProvider.default('openai'),
  model: z.string().trim().min(1, 'choose a model').max(200),
  credential: CredentialRef.optional(),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  system: Template.default(''),
  prompt: Template.refine((p) => p.trim() !== '', 'the prompt is empty'),
  outputSchema: ObjectJsonSchema.optional(),
  temperature: z.number().min(0).max(2).default(0.2),
  maxTokens: z.number().int().min(1).max(200_000).default(1024),
  costLimitUsd: z.number().positive().max(1000).default(1),
});
export type AiConfig = z.infer<typeof AiConfig>;
