import { type JsonSchema } from '@sluice/spec';
import { z } from 'zod';
import { defineNode } from '../define.js';
import { inPort, outPort } from '../shared/ports.js';
import { Mapping } from '../shared/schemas.js';

/** Output fields computed by CEL expressions over the input. */
export const TransformConfig = z.strictObject({
  mapping: Mapping.refine((m) => Object.keys(m).length > 0, 'map at least one output field'),
});
export type TransformConfig = z.infer<typeof TransformConfig>;

/**
 * Maps data with CEL: each output field is an expression over `input`. The output type is inferred
 * from the expressions (`input.n + 1` makes an integer field), so downstream checks see real types.
 */
export const transformNode = defineNode({
  kind: 'transform',
  typeVersion: 1,
  title: 'Transform',
  description: 'Computes output fields from the input with CEL expressions.',
  category: 'logic',
  configSchema: TransformConfig,
  defaultConfig: { mapping: { value: 'input' } },
  fields: [
    { key: 'mapping', label: 'Output fields', editor: 'mapping', help: 'field name → CEL expression' },
  ],
  classification: { egress: () => false },
  infersOutputs: true,
  inputs: () => [inPort()],
  outputs(config, types) {
    const properties: Record<string, JsonSchema> = {};
    for (const key of Object.keys(config.mapping))
      properties[key] = types?.typeOf(['config', 'mapping', key]) ?? {};
    return [outPort('out', 'Result', { type: 'object', properties, required: Object.keys(config.mapping) })];
  },
  expressions: (config) =>
    Object.entries(config.mapping).map(([key, source]) => ({
      path: ['config', 'mapping', key],
      source,
      mode: 'value' as const,
    })),
  checks: () => [],
});
