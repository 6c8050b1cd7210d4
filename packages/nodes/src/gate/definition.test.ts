import type { CompilePolicy } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { gateNode } from './definition.js';

const policy: CompilePolicy = { trustedHosts: [], externalClearance: 'public' };
const parse = (config: unknown) => gateNode.configSchema.parse(config);
const codes = (config: unknown) =>
  gateNode.checks({ id: 'g', label: 'G', owner: 'o', config: parse(config) }, { policy }).map((d) => d.code);

describe('gate', () => {
  test.each([
    {},
    { tiers: [{ when: 'input.amount < 50.0', tier: 'auto', reason: 'small' }], defaultTier: 'review' },
    { approvers: { roles: [], users: ['a@x.com', 'b@x.com', 'c@x.com'] }, quorum: 2 },
    { expiry: { afterMs: 3_600_000, onExpiry: 'escalate', escalateTo: { roles: ['owner'] } } },
    {
      summary: 'Refund {{ input.amount }}',
      show: [{ label: 'Amount', value: 'input.amount' }],
      declassifyTo: 'public',
    },
  ])('accepts %j', (config) => {
    expect(gateNode.configSchema.safeParse(config).success).toBe(true);
  });

  test.each([
    { tiers: [{ when: 'x', tier: 'approve', reason: 'r' }] },
    { tiers: [{ when: 'x', tier: 'auto', reason: '' }] },
    { tiers: [{ when: '', tier: 'auto', reason: 'r' }] },
    { quorum: 0 },
    { approvers: { roles: ['boss'] } },
    { approvers: { users: ['a b'] } },
    { approvers: { roles: ['reviewer', 'reviewer'] } },
    { expiry: { afterMs: 10 } },
    { declassifyTo: 'top-secret' },
  ])('refuses %j', (config) => {
    expect(gateNode.configSchema.safeParse(config).success).toBe(false);
  });

  test.each([
    [{}, []],
    [{ approvers: { roles: [], users: [] } }, ['SL606']],
    [{ approvers: { roles: [], users: ['a@x.com'] }, quorum: 2 }, ['SL607']],
    [{ defaultTier: 'auto' }, ['SL608']],
    [{ expiry: { afterMs: 3_600_000, onExpiry: 'escalate' } }, ['SL609']],
    [{ tiers: [{ when: 'true', tier: 'auto', reason: 'r' }], declassifyTo: 'public' }, ['SL502']],
    [{ defaultTier: 'auto', declassifyTo: 'public' }, ['SL608', 'SL502']],
  ])('checks %j → %j', (config, expected) => {
    expect(codes(config)).toEqual(expected);
  });

  test('ports, expressions, people and declassification', () => {
    const config = parse({
      tiers: [{ when: 'input.n > 1', tier: 'review', reason: 'r' }],
      summary: 'n={{ input.n }}',
      show: [{ label: 'N', value: 'input.n' }],
      approvers: { roles: ['reviewer'], users: ['a@x.com'] },
      quorum: 2,
      declassifyTo: 'internal',
    });
    expect(gateNode.outputs(config).map((p) => [p.name, p.passthrough])).toEqual([
      ['approved', true],
      ['rejected', true],
    ]);
    expect(gateNode.expressions(config).map((s) => [s.path.join('.'), s.mode])).toEqual([
      ['config.tiers.0.when', 'condition'],
      ['config.summary', 'template'],
      ['config.show.0.value', 'value'],
    ]);
    expect(gateNode.humans?.(config)).toEqual({
      type: 'approval',
      roles: ['reviewer'],
      users: ['a@x.com'],
      quorum: 2,
    });
    expect(gateNode.classification.emits?.(config, 'restricted', 'approved')).toBe('internal');
    expect(gateNode.classification.emits?.(config, 'restricted', 'rejected')).toBe('restricted');
    expect(gateNode.classification.emits?.(config, 'public', 'approved')).toBe('public');
  });
});
