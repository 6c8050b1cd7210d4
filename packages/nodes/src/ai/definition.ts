import { type Diagnostic, diagnostic, type JsonSchema } from '@sluice/spec';
import { defineNode } from '../define.js';
import { hostAllowed, isLoopback } from '../shared/hosts.js';
import { inPort, outPort } from '../shared/ports.js';
import { AiConfig, BASE_URL_PROVIDERS, KEYLESS_PROVIDERS } from './config.js';

const TEXT_OUTPUT: JsonSchema = {
  type: 'object',
  properties: { text: { type: 'string' } },
  required: ['text'],
};
const needsBaseUrl = { key: 'provider', equals: [...BASE_URL_PROVIDERS] };

/** Whether the model runs outside the trust boundary (any provider but offline or a local server). */
function isExternal(config: AiConfig, trustedHosts: readonly string[]): boolean {
  if (config.provider === 'offline') return false;
  if (config.baseUrl === undefined) return true;
  try {
    const url = new URL(config.baseUrl);
    const host = url.hostname.toLowerCase();
    return !(isLoopback(host) || hostAllowed(host, url.port, trustedHosts));
  } catch {
    return true;
  }
}

/**
 * Calls a language model with a prompt built from its input. Its output is `{ text }`, or the output
 * schema's object when one is set (structured output). An external provider may receive only what
 * the workspace's external clearance allows (`public` by default).
 */
export const aiNode = defineNode({
  kind: 'ai',
  typeVersion: 1,
  title: 'AI step',
  description: 'Calls a language model with a prompt template; optionally returns structured output.',
  category: 'ai',
  configSchema: AiConfig,
  defaultConfig: {
    provider: 'openai',
    model: 'gpt-4o-mini',
    system: '',
    prompt: 'Summarise:\n{{ input }}',
    temperature: 0.2,
    maxTokens: 1024,
    costLimitUsd: 1,
  },
  fields: [
    {
      key: 'provider',
      label: 'Provider',
      editor: 'select',
      options: [
        { value: 'openai', label: 'OpenAI' },
        { value: 'anthropic', label: 'Anthropic' },
        { value: 'azure', label: 'Azure OpenAI' },
        { value: 'ollama', label: 'Ollama (local)' },
        { value: 'openai-compatible', label: 'OpenAI-compatible server' },
        { value: 'offline', label: 'Offline (deterministic, for tests)' },
      ],
    },
    { key: 'model', label: 'Model', editor: 'text', required: true },
    { key: 'credential', label: 'Credential', editor: 'credential' },
    { key: 'baseUrl', label: 'Base URL', editor: 'text', visibleWhen: needsBaseUrl },
    { key: 'system', label: 'System prompt', editor: 'textarea' },
    {
      key: 'prompt',
      label: 'Prompt',
      editor: 'template',
      required: true,
      help: 'Use {{ input.field }} to insert data',
    },
    {
      key: 'outputSchema',
      label: 'Output schema',
      editor: 'json-schema',
      help: 'Leave empty for plain text',
    },
    { key: 'temperature', label: 'Temperature', editor: 'number', min: 0, max: 2 },
    { key: 'maxTokens', label: 'Max tokens', editor: 'number', min: 1, max: 200_000 },
    {
      key: 'costLimitUsd',
      label: 'Cost limit (USD)',
      editor: 'number',
      min: 0,
      max: 1000,
      help: 'Not priced: no model prices are known, so spending is bounded by the token limits',
    },
    {
      key: 'budget.stepTokens',
      label: 'Token budget for this step',
      editor: 'number',
      min: 1,
      help: 'Stops the step mid-stream once its prompt and reply pass this many tokens',
    },
    {
      key: 'budget.runTokens',
      label: 'Token budget for the run',
      editor: 'number',
      min: 1,
      help: 'Stops the step once the run’s tokens, this step’s included, pass this many',
    },
  ],
  classification: { egress: (config, policy) => isExternal(config, policy.trustedHosts) },
  inputs: () => [inPort()],
  outputs: (config) => [outPort('out', 'Response', config.outputSchema ?? TEXT_OUTPUT)],
  expressions: (config) => [
    { path: ['config', 'system'], source: config.system, mode: 'template' },
    { path: ['config', 'prompt'], source: config.prompt, mode: 'template' },
  ],
  checks(node) {
    const { config, id } = node;
    const out: Diagnostic[] = [];
    if (config.credential === undefined && !KEYLESS_PROVIDERS.includes(config.provider)) {
      out.push(
        diagnostic('SL701', `${config.provider} needs a credential`, {
          nodeId: id,
          path: ['config', 'credential'],
          hint: 'choose a stored API key credential',
        }),
      );
    }
    if (config.baseUrl === undefined && BASE_URL_PROVIDERS.includes(config.provider)) {
      out.push(
        diagnostic('SL707', `${config.provider} needs the base URL of its server`, {
          nodeId: id,
          path: ['config', 'baseUrl'],
          hint:
            config.provider === 'ollama' ? 'e.g. http://localhost:11434' : 'the server’s https:// address',
        }),
      );
    }
    return out;
  },
});
