import { JsonSchema } from '@sluice/spec';
import { z } from 'zod';
import { defineNode } from '../define.js';
import { inPort } from '../shared/ports.js';
import { Mapping } from '../shared/schemas.js';

/**
 * The run's result: the input as it arrives, or fields computed from it. A `schema` states what the
 * result must look like; upstream types are checked against it when there is no mapping.
 */
export const OutputConfig = z.strictObject({
  mapping: Mapping.default({}),
  schema: JsonSchema.optional(),
});
export type OutputConfig = z.infer<typeof OutputConfig>;

export const outputNode = defineNode({
  kind: 'output',
  typeVersion: 1,
  title: 'Output',
  description: 'Ends the run; its input (or mapped fields) is the run result.',
  category: 'output',
  configSchema: OutputConfig,
  defaultConfig: { mapping: {} },
  fields: [
    { key: 'mapping', label: 'Result fields', editor: 'mapping', help: 'Leave empty to return the input' },
    { key: 'schema', label: 'Result schema', editor: 'json-schema' },
  ],
  classification: { egress: () => false },
  inputs: (config) => [inPort(Object.keys(config.mapping).length === 0 ? (config.schema ?? {}) : {})],
  outputs: () => [],
  expressions: (config) =>
    Object.entries(config.mapping).map(([key, source]) => ({
      path: ['config', 'mapping', key],
      source,
      mode: 'value' as const,
    })),
  checks: () => [],
});
