import { describe, expect, test } from 'vitest';
import { humanNode } from './definition.js';

describe('human', () => {
  test.each([
    {},
    {
      role: 'reviewer',
      assignees: ['a@x.com'],
      title: 'Check',
      instructions: 'Look at {{ input.id }}',
      dueInMs: 3_600_000,
    },
  ])('accepts %j', (config) => {
    expect(humanNode.configSchema.safeParse(config).success).toBe(true);
  });

  test.each([{ role: 'boss' }, { form: { type: 'string' } }, { title: '' }, { dueInMs: 5 }])(
    'refuses %j',
    (config) => {
      expect(humanNode.configSchema.safeParse(config).success).toBe(false);
    },
  );

  test('the form is the output; the task is a human step', () => {
    const form = { type: 'object', properties: { approved: { type: 'boolean' } }, required: ['approved'] };
    const config = humanNode.configSchema.parse({
      role: 'reviewer',
      form,
      instructions: 'Hi {{ input.name }}',
    });
    expect(humanNode.outputs(config)[0]?.schema).toEqual(form);
    expect(humanNode.humans?.(config)).toEqual({ type: 'task', roles: ['reviewer'], users: [], quorum: 1 });
    expect(humanNode.expressions(config)).toHaveLength(1);
    expect(humanNode.expressions(humanNode.configSchema.parse({}))).toEqual([]);
  });
});
