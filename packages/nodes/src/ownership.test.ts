import { compile, OwnershipEntry } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { fixtureGraph, loadFixtures } from '../test/fixtures.js';
import { registry } from './registry.js';

describe('ownership map', () => {
  test('support triage: owners, approvers, auditors and where people step in', () => {
    const { ownership } = compile(fixtureGraph('support-ticket-triage'), registry);
    for (const row of ownership) expect(OwnershipEntry.parse(row)).toEqual(row);
    const row = (id: string) => ownership.find((r) => r.nodeId === id);
    expect(ownership.map((r) => r.nodeId)[0]).toBe('trigger');
    expect(row('redact_pii')).toMatchObject({
      owner: 'security',
      human: null,
      guardedBy: [],
      classification: 'public',
    });
    expect(row('trigger')).toMatchObject({
      classification: 'confidential',
      trigger: ['operator'],
      audit: ['auditor'],
    });
    expect(row('refund_gate')).toMatchObject({
      owner: 'support-leads',
      human: { type: 'approval', roles: ['reviewer'], users: [], quorum: 1 },
      approve: { roles: ['reviewer'], users: [] },
    });
    expect(row('issue_refund')).toMatchObject({
      owner: 'payments',
      guardedBy: ['refund_gate'],
      approve: { roles: ['reviewer'] },
    });
    expect(row('manual_triage')).toMatchObject({
      human: { type: 'task', roles: ['operator'] },
      guardedBy: [],
    });
    expect(row('classify')?.clearance).toBe('public');
  });

  test('every valid fixture has an owner on every stage and a row per node', () => {
    for (const { graph, policy } of loadFixtures('valid')) {
      const result = compile(graph, registry, policy ? { policy } : {});
      expect(result.ownership).toHaveLength(Object.keys(result.spec?.nodes ?? {}).length + 1);
      for (const row of result.ownership) expect(row.owner.trim()).not.toBe('');
    }
  });

  test('contract review: 2-of-3 named lawyers', () => {
    const { ownership } = compile(fixtureGraph('contract-review'), registry);
    expect(ownership.find((r) => r.nodeId === 'legal_signoff')?.human).toEqual({
      type: 'approval',
      roles: [],
      users: ['ana.ruiz@example.com', 'ben.okafor@example.com', 'chen.li@example.com'],
      quorum: 2,
    });
    expect(ownership.find((r) => r.nodeId === 'signed_off')?.approve.users).toHaveLength(3);
  });
});
