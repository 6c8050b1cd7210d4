import { defineNode } from '../define.js';
import { hostAllowed, staticHost } from '../shared/hosts.js';
import { inPort, outPort } from '../shared/ports.js';
import { httpChecks, requestSites } from './checks.js';
import { HttpConfig } from './config.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => ({ value: m, label: m }));

/**
 * Calls an HTTP API. Output: `{ status, headers, body }`, the body typed by `responseSchema`. A host
 * outside the workspace's trusted hosts is outside the trust boundary (clearance: external).
 */
export const httpNode = defineNode({
  kind: 'http',
  typeVersion: 1,
  title: 'HTTP request',
  description:
    'Calls an external API through a credential, limited to allowed hosts; may declare a compensation.',
  category: 'integration',
  configSchema: HttpConfig,
  defaultConfig: {
    method: 'POST',
    url: 'https://api.example.com/',
    headers: {},
    allowHosts: ['api.example.com'],
    limits: { timeoutMs: 10_000, maxResponseBytes: 1_000_000, maxRedirects: 0 },
  },
  fields: [
    { key: 'method', label: 'Method', editor: 'select', options: METHODS },
    { key: 'url', label: 'URL', editor: 'template', required: true },
    { key: 'headers', label: 'Headers', editor: 'key-value' },
    { key: 'body', label: 'JSON body', editor: 'mapping', help: 'field name → CEL expression' },
    { key: 'credential', label: 'Credential', editor: 'credential' },
    {
      key: 'credentialHeader.name',
      label: 'Credential header',
      editor: 'text',
      placeholder: 'Authorization',
      help: 'The header that carries the credential',
    },
    {
      key: 'credentialHeader.prefix',
      label: 'Credential prefix',
      editor: 'text',
      placeholder: 'Bearer ',
      help: 'Written before the secret in the header value; empty for a bare API key',
    },
    { key: 'allowHosts', label: 'Allowed hosts', editor: 'tags', required: true },
    { key: 'responseSchema', label: 'Response body schema', editor: 'json-schema' },
    { key: 'compensation.method', label: 'Undo: method', editor: 'select', options: METHODS },
    { key: 'compensation.url', label: 'Undo: URL', editor: 'template', help: 'May use {{ output.body.id }}' },
    { key: 'compensation.headers', label: 'Undo: headers', editor: 'key-value' },
    { key: 'compensation.body', label: 'Undo: JSON body', editor: 'mapping' },
    { key: 'limits.timeoutMs', label: 'Timeout', editor: 'duration' },
    { key: 'limits.maxResponseBytes', label: 'Max response size (bytes)', editor: 'number', min: 1 },
    { key: 'limits.maxRedirects', label: 'Max redirects', editor: 'number', min: 0, max: 5 },
  ],
  classification: {
    egress(config, policy) {
      const host = staticHost(config.url);
      return !(host.ok && hostAllowed(host.hostname, host.port, policy.trustedHosts));
    },
  },
  inputs: () => [inPort()],
  outputs: (config) => [
    outPort('out', 'Response', {
      type: 'object',
      properties: {
        status: { type: 'integer' },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        body: config.responseSchema ?? {},
      },
      required: ['status', 'headers', 'body'],
    }),
  ],
  expressions: (config) => [
    ...requestSites(config, ['config'], 'step'),
    ...(config.compensation
      ? requestSites(config.compensation, ['config', 'compensation'], 'compensation')
      : []),
  ],
  checks: httpChecks,
});
