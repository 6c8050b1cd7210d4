import { describe, expect, test } from 'vitest';
import { branchNode } from './definition.js';

const parse = (config: unknown) => branchNode.configSchema.parse(config);

describe('branch', () => {
  test.each([
    { cases: [{ port: 'yes', when: 'true' }] },
    {
      cases: [
        { port: 'a', when: 'x', label: 'A' },
        { port: 'b', when: 'y' },
      ],
      defaultPort: 'other',
    },
  ])('accepts %j', (config) => {
    expect(branchNode.configSchema.safeParse(config).success).toBe(true);
  });

  test.each([
    { cases: [] },
    { cases: [{ port: 'Yes', when: 'x' }] },
    { cases: [{ port: 'a', when: 'x' }], defaultPort: '1' },
  ])('refuses %j', (config) => {
    expect(branchNode.configSchema.safeParse(config).success).toBe(false);
  });

  test('one passthrough port per case plus the default, conditions checked', () => {
    const config = parse({ cases: [{ port: 'refund', when: 'input.kind == "refund"', label: 'Refund' }] });
    expect(branchNode.outputs(config).map((p) => [p.name, p.label, p.passthrough])).toEqual([
      ['refund', 'Refund', true],
      ['default', 'default', true],
    ]);
    expect(branchNode.expressions(config)).toEqual([
      { path: ['config', 'cases', 0, 'when'], source: 'input.kind == "refund"', mode: 'condition' },
    ]);
  });

  test('duplicate outputs are SL704', () => {
    const policy = { trustedHosts: [], externalClearance: 'public' as const };
    const config = parse({
      cases: [
        { port: 'a', when: 'x' },
        { port: 'a', when: 'y' },
        { port: 'default', when: 'z' },
      ],
    });
    expect(
      branchNode.checks({ id: 'b', label: 'B', owner: 'o', config }, { policy }).map((d) => d.path),
    ).toEqual([
      ['config', 'cases', 1, 'port'],
      ['config', 'cases', 2, 'port'],
    ]);
  });
});
