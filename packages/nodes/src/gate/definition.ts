import { type ExpressionSite, meetClassification } from '@sluice/spec';
import { defineNode } from '../define.js';
import { inPort, passthroughPort } from '../shared/ports.js';
import { gateChecks } from './checks.js';
import { GateConfig } from './config.js';

const escalates = { key: 'expiry.onExpiry', equals: ['escalate'] };

/**
 * Stops the run for approval when its tier rules say so. `approved` carries the data on (declassified
 * to `declassifyTo` if set); `rejected` carries it to whatever handles a rejection.
 */
export const gateNode = defineNode({
  kind: 'gate',
  typeVersion: 1,
  title: 'Approval gate',
  description: 'Auto-approves, asks reviewers, or blocks, by ordered CEL rules; quorum, expiry, escalation.',
  category: 'safety',
  configSchema: GateConfig,
  defaultConfig: {
    tiers: [],
    defaultTier: 'review',
    approvers: { roles: ['reviewer'], users: [] },
    quorum: 1,
    separationOfDuties: { excludeInitiator: true, excludeUpstreamOwners: true, excludeEditors: false },
    expiry: { afterMs: 72 * 3_600_000, onExpiry: 'reject' },
    summary: '',
    show: [{ label: 'Input', value: 'input' }],
  },
  fields: [
    {
      key: 'tiers',
      label: 'Tier rules (first match wins)',
      editor: 'list',
      itemFields: [
        { key: 'when', label: 'When', editor: 'cel' },
        {
          key: 'tier',
          label: 'Then',
          editor: 'select',
          options: [
            { value: 'auto', label: 'Continue automatically' },
            { value: 'review', label: 'Ask for review' },
            { value: 'block', label: 'Block' },
          ],
        },
        { key: 'reason', label: 'Reason', editor: 'text' },
      ],
    },
    {
      key: 'defaultTier',
      label: 'Otherwise',
      editor: 'select',
      options: [
        { value: 'auto', label: 'Continue automatically' },
        { value: 'review', label: 'Ask for review' },
        { value: 'block', label: 'Block' },
      ],
    },
    { key: 'approvers.roles', label: 'Approver roles', editor: 'roles' },
    { key: 'approvers.users', label: 'Named approvers', editor: 'users' },
    { key: 'quorum', label: 'Approvals needed', editor: 'number', min: 1, max: 20 },
    { key: 'separationOfDuties.excludeInitiator', label: 'Initiator may not approve', editor: 'toggle' },
    {
      key: 'separationOfDuties.excludeUpstreamOwners',
      label: 'Upstream owners may not approve',
      editor: 'toggle',
    },
    { key: 'separationOfDuties.excludeEditors', label: 'Publisher may not approve', editor: 'toggle' },
    { key: 'expiry.afterMs', label: 'Expires after', editor: 'duration' },
    {
      key: 'expiry.onExpiry',
      label: 'When it expires',
      editor: 'select',
      options: [
        { value: 'reject', label: 'Reject' },
        { value: 'escalate', label: 'Escalate' },
      ],
    },
    { key: 'expiry.escalateTo.roles', label: 'Escalate to roles', editor: 'roles', visibleWhen: escalates },
    { key: 'expiry.escalateTo.users', label: 'Escalate to people', editor: 'users', visibleWhen: escalates },
    { key: 'expiry.remindAfterMs', label: 'Remind approvers after', editor: 'duration' },
    { key: 'summary', label: 'Summary for the reviewer', editor: 'template' },
    {
      key: 'show',
      label: 'Show the reviewer',
      editor: 'list',
      itemFields: [
        { key: 'label', label: 'Label', editor: 'text' },
        { key: 'value', label: 'Value', editor: 'cel' },
      ],
    },
    { key: 'declassifyTo', label: 'Declassify on approval to', editor: 'classification' },
  ],
  classification: {
    egress: () => false,
    emits: (config, input, port) =>
      port === 'approved' && config.declassifyTo ? meetClassification(config.declassifyTo, input) : input,
  },
  inputs: () => [inPort()],
  outputs: () => [passthroughPort('approved', 'Approved'), passthroughPort('rejected', 'Rejected')],
  expressions(config) {
    const sites: ExpressionSite[] = config.tiers.map((tier, i) => ({
      path: ['config', 'tiers', i, 'when'],
      source: tier.when,
      mode: 'condition',
    }));
    if (config.summary !== '')
      sites.push({ path: ['config', 'summary'], source: config.summary, mode: 'template' });
    config.show.forEach((item, i) =>
      sites.push({ path: ['config', 'show', i, 'value'], source: item.value, mode: 'value' }),
    );
    return sites;
  },
  checks: gateChecks,
  humans: (config) => ({
    type: 'approval',
    roles: [...config.approvers.roles],
    users: [...config.approvers.users],
    quorum: config.quorum,
  }),
});
