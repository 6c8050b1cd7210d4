import { describe, expect, test } from 'vitest';
import { tableResolver } from '../test-support.js';
import { ResolveError } from './resolver.js';
import { checkTarget } from './target.js';

const resolver = tableResolver({
  'api.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'erp.internal': ['10.20.0.5'],
  'echo.test': ['127.0.0.1'],
});

describe('checkTarget lets through', () => {
  test('a public name on the allow-list, with every address it resolved to', async () => {
    const target = await checkTarget(new URL('https://api.example.com/v1'), ['*.example.com'], resolver);
    expect(target).toMatchObject({ hostname: 'api.example.com', port: 443 });
    expect(target.addresses.map((a) => a.address)).toEqual([
      '93.184.216.34',
      '2606:2800:220:1:248:1893:25c8:1946',
    ]);
  });

  test('a private name when the allow-list names that exact host', async () => {
    const target = await checkTarget(new URL('http://erp.internal:8080/x'), ['erp.internal:8080'], resolver);
    expect(target.addresses).toEqual([{ address: '10.20.0.5', family: 4 }]);
  });

  test('a loopback IP literal named exactly, without any lookup', async () => {
    const calls = resolver.calls.length;
    const target = await checkTarget(new URL('http://127.0.0.1:9000/'), ['127.0.0.1:9000'], resolver);
    expect(target).toMatchObject({ hostname: '127.0.0.1', port: 9000 });
    expect(resolver.calls.length).toBe(calls);
  });

  test('an IPv6 literal named exactly, brackets removed for the socket', async () => {
    const target = await checkTarget(new URL('http://[::1]:9000/'), ['[::1]:9000'], resolver);
    expect(target.hostname).toBe('::1');
    expect(target.addresses).toEqual([{ address: '::1', family: 6 }]);
  });
});

describe('checkTarget fails with a step error', () => {
  test('a name that does not resolve', async () => {
    await expect(
      checkTarget(new URL('https://nope.example.com/'), ['*.example.com'], resolver),
    ).rejects.toMatchObject({
      code: 'HTTP_DNS_FAILED',
      retryable: false,
    });
  });

  test('a temporary DNS failure is retryable', async () => {
    const flaky = async () => {
      throw new ResolveError('"api.example.com" did not resolve (EAI_AGAIN)', true);
    };
    await expect(
      checkTarget(new URL('https://api.example.com/'), ['api.example.com'], flaky),
    ).rejects.toMatchObject({
      code: 'HTTP_DNS_FAILED',
      retryable: true,
    });
  });

  test('a name that resolves to nothing', async () => {
    await expect(
      checkTarget(new URL('https://api.example.com/'), ['api.example.com'], async () => []),
    ).rejects.toMatchObject({
      code: 'HTTP_DNS_FAILED',
    });
  });

  test('a resolver answer that is not an address', async () => {
    const odd = async () => [{ address: 'not-an-ip', family: 4 as const }];
    await expect(
      checkTarget(new URL('https://api.example.com/'), ['api.example.com'], odd),
    ).rejects.toMatchObject({
      code: 'HTTP_TARGET_REFUSED',
      message: expect.stringMatching(/not-an-ip.*never callable/),
    });
  });
});
