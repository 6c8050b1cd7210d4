import { diagnostic, TriggerConfig } from '@sluice/spec';
import { defineNode } from '../define.js';
import { cronProblem } from '../shared/cron.js';
import { outPort } from '../shared/ports.js';

const isWebhook = { key: 'type', equals: ['webhook'] };
const isSchedule = { key: 'type', equals: ['schedule'] };

/**
 * How a run starts: by hand, by a signed webhook, or on a schedule. Its only port, `out`, carries the
 * run's input, typed by the input JSON Schema. Trigger data is `internal` unless the node says more.
 */
export const triggerNode = defineNode({
  kind: 'trigger',
  typeVersion: 1,
  title: 'Trigger',
  description: 'Starts a run: manually, from a signed webhook, or on a schedule.',
  category: 'trigger',
  configSchema: TriggerConfig,
  defaultConfig: { type: 'manual', input: { type: 'object', properties: {} } },
  fields: [
    {
      key: 'type',
      label: 'Starts',
      editor: 'select',
      options: [
        { value: 'manual', label: 'Manually' },
        { value: 'webhook', label: 'From a webhook' },
        { value: 'schedule', label: 'On a schedule' },
      ],
    },
    { key: 'input', label: 'Input schema', editor: 'json-schema', help: 'The JSON Schema of the run input' },
    { key: 'secret', label: 'Signing secret', editor: 'credential', visibleWhen: isWebhook, required: true },
    { key: 'signatureHeader', label: 'Signature header', editor: 'text', visibleWhen: isWebhook },
    {
      key: 'respond',
      label: 'Respond with',
      editor: 'select',
      visibleWhen: isWebhook,
      options: [
        { value: 'accepted', label: '202 Accepted at once' },
        { value: 'result', label: 'The run output, when it finishes' },
      ],
    },
    { key: 'responseTimeoutMs', label: 'Response timeout', editor: 'duration', visibleWhen: isWebhook },
    { key: 'cron', label: 'Cron', editor: 'text', placeholder: '0 9 * * mon-fri', visibleWhen: isSchedule },
    {
      key: 'timezone',
      label: 'Time zone',
      editor: 'text',
      placeholder: 'Europe/Berlin',
      visibleWhen: isSchedule,
    },
    { key: 'payload', label: 'Input of each run', editor: 'json', visibleWhen: isSchedule },
  ],
  classification: { egress: () => false, sourceLabel: 'internal' },
  inputs: () => [],
  outputs: (config) => [outPort('out', 'Run input', config.input)],
  expressions: () => [],
  checks(node) {
    const config = node.config;
    if (config.type !== 'schedule') return [];
    const out = [];
    const problem = cronProblem(config.cron);
    if (problem)
      out.push(
        diagnostic('SL705', problem, {
          nodeId: node.id,
          path: ['config', 'cron'],
          hint: 'e.g. 0 9 * * mon-fri',
        }),
      );
    if (!validTimeZone(config.timezone)) {
      out.push(
        diagnostic('SL705', `unknown time zone "${config.timezone}"`, {
          nodeId: node.id,
          path: ['config', 'timezone'],
          hint: 'use an IANA name such as UTC or Europe/Berlin',
        }),
      );
    }
    return out;
  },
});

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
