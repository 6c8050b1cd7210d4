import { describe, expect, test } from 'vitest';
import { cronProblem } from '../shared/cron.js';
import { triggerNode } from './definition.js';

const view = (config: unknown) => ({
  id: 't',
  label: 'T',
  owner: 'o',
  config: triggerNode.configSchema.parse(config),
});

describe('trigger', () => {
  test.each([
    { type: 'manual' },
    { type: 'manual', input: { type: 'object', properties: { n: { type: 'integer' } } } },
    { type: 'webhook', secret: 'hook', respond: 'result', responseTimeoutMs: 5000 },
    { type: 'schedule', cron: '*/15 9-17 * * mon-fri', timezone: 'Europe/Berlin', payload: { a: 1 } },
  ])('accepts %j', (config) => {
    expect(triggerNode.configSchema.safeParse(config).success).toBe(true);
  });

  test.each([
    { type: 'email' },
    { type: 'webhook' },
    { type: 'webhook', secret: 'a b' },
    { type: 'manual', input: { type: 'array' } },
    { type: 'schedule' },
    { type: 'manual', extra: true },
  ])('refuses %j', (config) => {
    expect(triggerNode.configSchema.safeParse(config).success).toBe(false);
  });

  test('its output carries the input schema', () => {
    const input = { type: 'object', properties: { n: { type: 'integer' } } };
    expect(triggerNode.outputs(triggerNode.configSchema.parse({ type: 'manual', input }))).toEqual([
      { name: 'out', label: 'Run input', schema: input },
    ]);
    expect(triggerNode.inputs(triggerNode.defaultConfig)).toEqual([]);
  });

  test('schedules are checked', () => {
    expect(
      triggerNode.checks(view({ type: 'schedule', cron: '0 9 * * *' }), {
        policy: { trustedHosts: [], externalClearance: 'public' },
      }),
    ).toEqual([]);
    const bad = triggerNode.checks(view({ type: 'schedule', cron: '0 25 * * *', timezone: 'Mars/Olympus' }), {
      policy: { trustedHosts: [], externalClearance: 'public' },
    });
    expect(bad.map((d) => [d.code, d.path])).toEqual([
      ['SL705', ['config', 'cron']],
      ['SL705', ['config', 'timezone']],
    ]);
  });
});

describe('cronProblem', () => {
  test.each([
    '* * * * *',
    '0 0 1 1 *',
    '*/5 * * * *',
    '0 9-17/2 * * 1-5',
    '0 0 * jan,jul sun',
    '@daily',
    '0 0 * * 7',
  ])('%s is valid', (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
  });

  test.each([
    ['* * * *', /5 fields/],
    ['60 * * * *', /minute: 60/],
    ['* 24 * * *', /hour/],
    ['* * 0 * *', /day of month/],
    ['* * * 13 *', /month/],
    ['* * * * 8', /day of week/],
    ['*/0 * * * *', /step of 0/],
    ['5-1 * * * *', /backwards/],
    ['a * * * *', /not a value/],
  ])('%s is refused', (cron, message) => {
    expect(cronProblem(cron)).toMatch(message);
  });
});
