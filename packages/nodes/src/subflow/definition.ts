import { JsonSchema } from '@sluice/spec';
import { z } from 'zod';
import { defineNode } from '../define.js';
import { inPort, outPort } from '../shared/ports.js';

/**
 * Another published workflow version, run as one step. The editor copies the version's input and
 * output schemas here when it is chosen, so types are checked across the boundary.
 */
export const SubflowConfig = z.strictObject({
  workflowId: z.string().trim().min(1, 'choose a workflow').max(128),
  version: z.number().int().min(1),
  inputSchema: JsonSchema.default({}),
  outputSchema: JsonSchema.default({}),
});
export type SubflowConfig = z.infer<typeof SubflowConfig>;

export const subflowNode = defineNode({
  kind: 'subflow',
  typeVersion: 1,
  title: 'Subflow',
  description: 'Runs a pinned version of another published workflow as one step.',
  category: 'logic',
  configSchema: SubflowConfig,
  defaultConfig: { workflowId: 'choose-a-workflow', version: 1, inputSchema: {}, outputSchema: {} },
  fields: [
    { key: 'workflowId', label: 'Workflow', editor: 'text', required: true },
    { key: 'version', label: 'Version', editor: 'number', min: 1 },
    { key: 'inputSchema', label: 'Its input schema', editor: 'json-schema' },
    { key: 'outputSchema', label: 'Its output schema', editor: 'json-schema' },
  ],
  classification: { egress: () => false },
  inputs: (config) => [inPort(config.inputSchema)],
  outputs: (config) => [outPort('out', 'Result', config.outputSchema)],
  expressions: () => [],
  checks: () => [],
});
