import { describe, expect, test } from 'vitest';
import { subflowNode } from './definition.js';

describe('subflow', () => {
  test.each([
    { workflowId: 'policy-check', version: 3 },
    { workflowId: 'x', version: 1, inputSchema: { type: 'object' }, outputSchema: { type: 'object' } },
  ])('accepts %j', (config) => {
    expect(subflowNode.configSchema.safeParse(config).success).toBe(true);
  });

  test.each([
    { workflowId: '', version: 1 },
    { workflowId: 'x', version: 0 },
    { workflowId: 'x' },
    { workflowId: 'x', version: 1.5 },
  ])('refuses %j', (config) => {
    expect(subflowNode.configSchema.safeParse(config).success).toBe(false);
  });

  test('ports carry the pinned version’s schemas', () => {
    const config = subflowNode.configSchema.parse({
      workflowId: 'x',
      version: 2,
      inputSchema: { type: 'object', required: ['id'] },
      outputSchema: { type: 'string' },
    });
    expect(subflowNode.inputs(config)[0]?.schema).toEqual({ type: 'object', required: ['id'] });
    expect(subflowNode.outputs(config)[0]?.schema).toEqual({ type: 'string' });
  });
});
