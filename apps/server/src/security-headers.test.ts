import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { CONTENT_SECURITY_POLICY, securityHeaders, STRICT_TRANSPORT_SECURITY } from './security-headers';

function app(hsts: boolean): Hono {
  return new Hono()
    .use('*', securityHeaders({ hsts }))
    .get('/json', (c) => c.json({ ok: true }, 201, { 'X-Own': 'kept' }))
    .get('/raw', () => new Response('raw', { headers: { 'content-type': 'text/plain' } }))
    .get('/redirect', () => Response.redirect('http://127.0.0.1/elsewhere', 302))
    .get('/stream', () => new Response(new Blob(['a', 'b']).stream()));
}

describe('security headers', () => {
  test('are on every kind of response, its own headers, status and body kept', async () => {
    for (const url of ['/json', '/raw', '/redirect', '/stream', '/missing']) {
      const response = await app(false).request(url);
      expect(response.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-frame-options'), url).toBe('DENY');
      expect(response.headers.get('permissions-policy'), url).toContain('camera=()');
      expect(response.headers.get('strict-transport-security'), url).toBeNull();
    }
    const json = await app(false).request('/json');
    expect([json.status, json.headers.get('x-own'), await json.json()]).toEqual([201, 'kept', { ok: true }]);
    // Response.redirect's headers are immutable: they are set on a copy of it.
    const redirect = await app(false).request('/redirect');
    expect([redirect.status, redirect.headers.get('location')]).toEqual([302, 'http://127.0.0.1/elsewhere']);
    expect(await (await app(false).request('/stream')).text()).toBe('ab');
  });

  test('include HSTS when the server speaks TLS', async () => {
    const response = await app(true).request('/raw');
    expect(response.headers.get('strict-transport-security')).toBe(STRICT_TRANSPORT_SECURITY);
    expect(await response.text()).toBe('raw');
  });
});
