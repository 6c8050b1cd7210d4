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
 * Token ceilings: `stepTokens` bounds one execution of this step (prompt and reply), `runTokens` bounds
 * the whole run's use once this step is added. A step that would pass either stops mid-stream.
 */
export const AiBudget = z.strictObject({
  stepTokens: z.number().int().min(1).max(10_000_000).optional(),
  runTokens: z.number().int().min(1).max(100_000_000).optional(),
});
export type AiBudget = z.infer<typeof AiBudget>;

/**
 * A language-model call: provider and model, the credential that pays for it, a system prompt and a
 * prompt template (`{{ CEL }}` parts), an optional output JSON Schema for structured output, and
 * limits (temperature, max tokens, token budgets, a cost ceiling in US dollars).
 *
 * `costLimitUsd` is not enforced by price: Sluice ships no price table for any model, so the budgets
 * in tokens (`maxTokens`, `budget`) are what bound spending.
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
  budget: AiBudget.optional(),
});
export type AiConfig = z.infer<typeof AiConfig>;
