import type { CompilePolicy } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { hostAllowed, staticHost } from '../shared/hosts.js';
import { httpNode } from './definition.js';

const policy: CompilePolicy = { trustedHosts: ['erp.internal'], externalClearance: 'public' };
const parse = (config: unknown) => httpNode.configSchema.parse(config);
const base = { url: 'https://api.example.com/v1/items', allowHosts: ['api.example.com'] };
const codes = (config: unknown) =>
  httpNode.checks({ id: 'h', label: 'H', owner: 'o', config: parse(config) }, { policy }).map((d) => d.code);

describe('http', () => {
  test.each([
    base,
    {
      ...base,
      method: 'GET',
      headers: { 'X-Trace': '{{ input.id }}' },
      body: { id: 'input.id' },
      credential: 'api-key',
    },
    { ...base, responseSchema: { type: 'object' }, limits: { timeoutMs: 500 } },
    {
      ...base,
      compensation: { method: 'DELETE', url: 'https://api.example.com/v1/items/{{ output.body.id }}' },
    },
    { ...base, allowHosts: ['*.example.com', 'localhost:8080', '[::1]:9000'] },
    { ...base, credential: 'api-key', credentialHeader: { name: 'X-Api-Key', prefix: '' } },
    { ...base, credential: 'api-key', credentialHeader: {} },
    { ...base, headers: { 'Idempotency-Key': 'refund-{{ input.id }}' } },
  ])('accepts %j', (config) => {
    expect(httpNode.configSchema.safeParse(config).success).toBe(true);
  });

  test.each([
    { url: 'https://a.com' },
    { ...base, allowHosts: [] },
    { ...base, allowHosts: ['https://a.com'] },
    { ...base, method: 'TRACE' },
    { ...base, headers: { 'Bad Header': 'x' } },
    { ...base, limits: { maxRedirects: 9 } },
    { ...base, compensation: { url: 'https://api.example.com' } },
    { ...base, headers: { Host: 'internal.example.com' } },
    { ...base, headers: { 'Transfer-Encoding': 'chunked' } },
    {
      ...base,
      compensation: { method: 'DELETE', url: 'https://api.example.com', headers: { 'Content-Length': '0' } },
    },
    { ...base, credentialHeader: { name: 'Bad Header' } },
    { ...base, credentialHeader: { prefix: 'Bearer\r\n' } },
  ])('refuses %j', (config) => {
    expect(httpNode.configSchema.safeParse(config).success).toBe(false);
  });

  test.each([
    [base, []],
    [{ ...base, url: 'https://evil.example.org/x' }, ['SL702']],
    [{ ...base, url: 'https://{{ input.host }}/x' }, ['SL703']],
    [{ ...base, url: '{{ input.url }}' }, ['SL703']],
    [{ ...base, url: 'file:///etc/passwd' }, ['SL703']],
    [{ ...base, url: 'https://api.example.com:8443/x' }, []],
    [{ ...base, allowHosts: ['api.example.com:443'], url: 'https://api.example.com:8443/x' }, ['SL702']],
    [{ ...base, compensation: { method: 'POST', url: 'https://other.example.org/undo' } }, ['SL702']],
  ])('checks %j → %j', (config, expected) => {
    expect(codes(config)).toEqual(expected);
  });

  test('expressions: URL and headers are templates, body fields CEL, compensation sees output', () => {
    const config = parse({
      ...base,
      headers: { 'X-Id': '{{ input.id }}' },
      body: { id: 'input.id' },
      compensation: { method: 'DELETE', url: 'https://api.example.com/{{ output.body.id }}' },
    });
    expect(httpNode.expressions(config).map((s) => [s.path.join('.'), s.mode, s.scope])).toEqual([
      ['config.url', 'template', 'step'],
      ['config.headers.X-Id', 'template', 'step'],
      ['config.body.id', 'value', 'step'],
      ['config.compensation.url', 'template', 'compensation'],
    ]);
  });

  test('egress unless the host is trusted', () => {
    expect(httpNode.classification.egress(parse(base), policy)).toBe(true);
    expect(
      httpNode.classification.egress(
        parse({ url: 'https://erp.internal/x', allowHosts: ['erp.internal'] }),
        policy,
      ),
    ).toBe(false);
  });
});

describe('hosts', () => {
  test.each([
    ['https://api.example.com/x', 'api.example.com', ''],
    ['http://LOCALHOST:8080/x?{{ q }}', 'localhost', '8080'],
    ['https://user@host.example.com/', 'host.example.com', ''],
  ])('staticHost(%s)', (url, hostname, port) => {
    expect(staticHost(url)).toMatchObject({ ok: true, hostname, port });
  });

  test.each([
    ['api.example.com', '', ['*.example.com'], true],
    ['example.com', '', ['*.example.com'], false],
    ['evilexample.com', '', ['*.example.com'], false],
    ['api.example.com', '8080', ['api.example.com:8080'], true],
    ['api.example.com', '', ['api.example.com:8080'], false],
    ['[::1]', '9000', ['[::1]:9000'], true],
  ] as const)('hostAllowed(%s, %s, %j) = %s', (host, port, allowed, expected) => {
    expect(hostAllowed(host, port, allowed)).toBe(expected);
  });
});
