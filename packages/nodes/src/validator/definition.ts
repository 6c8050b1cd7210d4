import { type Diagnostic, diagnostic, meetClassification } from '@sluice/spec';
import { defineNode } from '../define.js';
import { inPort, outPort, passthroughPort } from '../shared/ports.js';
import { ValidatorConfig } from './config.js';

/**
 * Inspects the data passing through. The output carries the input (or the JSON Schema's type, which
 * the data now satisfies); findings travel downstream for gates to read. A redacting validator with
 * detectors lowers the label to what it guarantees.
 */
export const validatorNode = defineNode({
  kind: 'validator',
  typeVersion: 1,
  title: 'Validator',
  description: 'Checks data: JSON Schema, PII, prompt injection, rules, size; blocks, redacts or flags.',
  category: 'safety',
  configSchema: ValidatorConfig,
  defaultConfig: {
    detectors: ['email', 'phone', 'credit_card'],
    injection: { enabled: true, threshold: 0.5 },
    rules: [],
    maxBytes: 1_000_000,
    onFailure: 'block',
  },
  fields: [
    { key: 'jsonSchema', label: 'JSON Schema', editor: 'json-schema' },
    {
      key: 'detectors',
      label: 'PII detectors',
      editor: 'tags',
      options: [
        { value: 'email', label: 'Email' },
        { value: 'phone', label: 'Phone' },
        { value: 'credit_card', label: 'Credit card' },
        { value: 'iban', label: 'IBAN' },
        { value: 'ssn', label: 'Social security number' },
        { value: 'national_id', label: 'National id (UK NINO, ES DNI/NIE)' },
        { value: 'ip_address', label: 'IP address' },
        { value: 'api_key', label: 'API key' },
        { value: 'address', label: 'Postal address' },
      ],
    },
    { key: 'injection.enabled', label: 'Detect prompt injection', editor: 'toggle' },
    { key: 'injection.threshold', label: 'Injection threshold', editor: 'number', min: 0, max: 1 },
    {
      key: 'rules',
      label: 'Rules',
      editor: 'list',
      itemFields: [
        { key: 'name', label: 'Name', editor: 'text' },
        { key: 'expr', label: 'Must hold', editor: 'cel' },
        { key: 'message', label: 'Message', editor: 'text' },
      ],
    },
    { key: 'maxBytes', label: 'Max size (bytes)', editor: 'number', min: 1 },
    {
      key: 'onFailure',
      label: 'On failure',
      editor: 'select',
      options: [
        { value: 'block', label: 'Block the run' },
        { value: 'redact', label: 'Redact and continue' },
        { value: 'flag', label: 'Flag and continue' },
      ],
    },
    {
      key: 'guarantees',
      label: 'Output classification after redaction',
      editor: 'classification',
      visibleWhen: { key: 'onFailure', equals: ['redact'] },
    },
  ],
  classification: {
    egress: () => false,
    emits: (config, input) =>
      config.onFailure === 'redact' && config.guarantees && config.detectors.length > 0
        ? meetClassification(config.guarantees, input)
        : input,
  },
  inputs: () => [inPort()],
  outputs: (config) => [
    config.jsonSchema
      ? outPort('out', 'Checked data', config.jsonSchema)
      : passthroughPort('out', 'Checked data'),
  ],
  expressions: (config) =>
    config.rules.map((rule, i) => ({
      path: ['config', 'rules', i, 'expr'],
      source: rule.expr,
      mode: 'condition' as const,
    })),
  checks(node) {
    const { config, id } = node;
    const out: Diagnostic[] = [];
    const checksSomething =
      config.jsonSchema !== undefined ||
      config.detectors.length > 0 ||
      config.injection.enabled ||
      config.rules.length > 0;
    if (!checksSomething) {
      out.push(
        diagnostic('SL706', 'this validator checks nothing but size', {
          nodeId: id,
          hint: 'add a JSON Schema, detectors, injection detection or a rule',
        }),
      );
    }
    if (config.guarantees !== undefined && (config.onFailure !== 'redact' || config.detectors.length === 0)) {
      out.push(
        diagnostic(
          'SL503',
          config.onFailure !== 'redact'
            ? `only a redacting validator can guarantee "${config.guarantees}"; this one will ${config.onFailure}`
            : `redaction guarantees "${config.guarantees}" only with detectors that find what to redact`,
          {
            nodeId: id,
            path: ['config', config.onFailure !== 'redact' ? 'onFailure' : 'detectors'],
            hint: 'set onFailure to redact and choose the detectors for the sensitive fields',
          },
        ),
      );
    }
    return out;
  },
});
