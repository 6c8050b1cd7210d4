import type { CompilePolicy } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { validatorNode } from './definition.js';

const policy: CompilePolicy = { trustedHosts: [], externalClearance: 'public' };
const parse = (config: unknown) => validatorNode.configSchema.parse(config);
const codes = (config: unknown) =>
  validatorNode
    .checks({ id: 'v', label: 'V', owner: 'o', config: parse(config) }, { policy })
    .map((d) => d.code);

describe('validator', () => {
  test.each([
    {},
    { detectors: ['email', 'iban'], onFailure: 'redact', guarantees: 'public' },
    { jsonSchema: { type: 'object' }, rules: [{ name: 'r', expr: 'input.a > 1' }], maxBytes: 10 },
    { injection: { enabled: true } },
    { detectors: ['national_id', 'api_key', 'address', 'ip_address'], onFailure: 'flag' },
  ])('accepts %j', (config) => {
    expect(validatorNode.configSchema.safeParse(config).success).toBe(true);
  });

  test.each([
    { detectors: ['dna'] },
    { detectors: ['email', 'email'] },
    { onFailure: 'ignore' },
    { rules: [{ name: 'r', expr: ' ' }] },
    { maxBytes: 0 },
    { injection: { threshold: 2 } },
    { guarantees: 'secret' },
  ])('refuses %j', (config) => {
    expect(validatorNode.configSchema.safeParse(config).success).toBe(false);
  });

  test('checks', () => {
    expect(codes({})).toEqual(['SL706']);
    expect(codes({ detectors: ['email'], onFailure: 'flag', guarantees: 'public' })).toEqual(['SL503']);
    expect(
      codes({ rules: [{ name: 'r', expr: 'true' }], onFailure: 'redact', guarantees: 'public' }),
    ).toEqual(['SL503']);
    expect(codes({ detectors: ['email'], onFailure: 'redact', guarantees: 'public' })).toEqual([]);
  });

  test('redaction lowers the label only with detectors, never raises it', () => {
    const emits = validatorNode.classification.emits;
    expect(
      emits?.(
        parse({ detectors: ['email'], onFailure: 'redact', guarantees: 'public' }),
        'confidential',
        'out',
      ),
    ).toBe('public');
    expect(
      emits?.(parse({ detectors: ['email'], onFailure: 'redact', guarantees: 'internal' }), 'public', 'out'),
    ).toBe('public');
    expect(
      emits?.(parse({ detectors: [], onFailure: 'redact', guarantees: 'public' }), 'restricted', 'out'),
    ).toBe('restricted');
    expect(emits?.(parse({ detectors: ['email'], onFailure: 'flag' }), 'restricted', 'out')).toBe(
      'restricted',
    );
  });

  test('rules are conditions; a schema types the output', () => {
    const config = parse({
      jsonSchema: { type: 'object', properties: { a: { type: 'integer' } } },
      rules: [{ name: 'r', expr: 'input.a > 1' }],
    });
    expect(validatorNode.expressions(config)).toEqual([
      { path: ['config', 'rules', 0, 'expr'], source: 'input.a > 1', mode: 'condition' },
    ]);
    expect(validatorNode.outputs(config)[0]?.passthrough).toBeUndefined();
    expect(validatorNode.outputs(parse({}))[0]?.passthrough).toBe(true);
  });
});
