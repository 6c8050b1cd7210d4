import { z } from 'zod';
import type { JsonSchema } from '../json-schema.js';

/**
 * What an expression may know of the run it runs in (`run.initiatedBy == ""` for a run a webhook or a
 * token started; `run.tokens` the tokens its AI steps have used so far). Gate rules read it, e.g.
 * `run.tokens > 50000`.
 */
export const RunMetadata = z.object({
  id: z.string(),
  workflowId: z.string(),
  version: z.number().int(),
  /** The user who started the run, or "" when none did (a webhook, an agent token, a schedule). */
  initiatedBy: z.string(),
  tokens: z.number().int().min(0),
});
export type RunMetadata = z.infer<typeof RunMetadata>;

/** The CEL field types of {@link RunMetadata}. */
export const RUN_CEL_FIELDS: Readonly<Record<keyof RunMetadata, string>> = {
  id: 'string',
  workflowId: 'string',
  version: 'int',
  initiatedBy: 'string',
  tokens: 'int',
};

/** Its JSON Schema: integers become CEL ints when the value crosses into an expression. */
export const RUN_METADATA_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    workflowId: { type: 'string' },
    version: { type: 'integer' },
    initiatedBy: { type: 'string' },
    tokens: { type: 'integer' },
  },
};

/** What `run` reads as where there is no run (the editor's previews, tests). */
export const NO_RUN: RunMetadata = Object.freeze({
  id: '',
  workflowId: '',
  version: 0,
  initiatedBy: '',
  tokens: 0,
});
