import { describe, expect, test } from 'vitest';
import { isRecord } from './guards.js';
import { SPEC_UPGRADES, upgradeSpec } from './upgrade.js';

const v1 = {
  specVersion: 'sluice/v1',
  metadata: { name: 'W', description: '', ownerTeam: 't' },
  trigger: {
    id: 'start',
    typeVersion: 1,
    label: 'Start',
    owner: 't',
    config: { type: 'manual', input: { type: 'object' } },
  },
  nodes: { done: { kind: 'output', typeVersion: 1, label: 'Done', owner: 't', config: {} } },
  edges: [{ from: { node: 'start', port: 'out' }, to: { node: 'done', port: 'in' } }],
  access: { trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] },
};

describe('upgradeSpec', () => {
  test('a current spec passes through unchanged', () => {
    expect(upgradeSpec(v1)).toEqual({ ok: true, spec: v1, applied: [] });
    expect(SPEC_UPGRADES).toEqual([]);
  });

  test('older documents are upgraded one step at a time', () => {
    // A made-up history: v-alpha named the owner `team`, v-beta kept access under `permissions`.
    const steps = [
      {
        from: 'sluice/v-alpha',
        to: 'sluice/v-beta',
        upgrade: ({ metadata, ...doc }: Record<string, unknown>) => {
          const { team, ...rest } = isRecord(metadata) ? metadata : {};
          return { ...doc, metadata: { ...rest, ownerTeam: team } };
        },
      },
      {
        from: 'sluice/v-beta',
        to: 'sluice/v1',
        upgrade: ({ permissions, ...doc }: Record<string, unknown>) => ({ ...doc, access: permissions }),
      },
    ];
    const { access, metadata, ...rest } = v1;
    const alpha = {
      ...rest,
      specVersion: 'sluice/v-alpha',
      permissions: access,
      metadata: { name: 'W', description: '', team: 't' },
    };
    expect(upgradeSpec(alpha, steps)).toEqual({
      ok: true,
      spec: { ...v1, metadata },
      applied: ['sluice/v-alpha → sluice/v-beta', 'sluice/v-beta → sluice/v1'],
    });
  });

  test.each<[string, unknown, string]>([
    ['not an object', 'text', 'SL001'],
    ['unknown version', { ...v1, specVersion: 'sluice/v9' }, 'SL004'],
    ['no version', { ...v1, specVersion: undefined }, 'SL004'],
    ['invalid content', { ...v1, edges: 'none' }, 'SL001'],
  ])('%s is refused with %s', (_, doc, code) => {
    const result = upgradeSpec(doc);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0]?.code).toBe(code);
  });

  test('a failing step is reported, not thrown', () => {
    const steps = [
      {
        from: 'sluice/v0',
        to: 'sluice/v1',
        upgrade: () => {
          throw new Error('boom');
        },
      },
    ];
    const result = upgradeSpec({ ...v1, specVersion: 'sluice/v0' }, steps);
    expect(result).toMatchObject({
      ok: false,
      diagnostics: [{ code: 'SL004', message: expect.stringMatching(/boom/) }],
    });
  });
});
