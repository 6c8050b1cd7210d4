import { compile, sha256Hex } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { loadFixtures } from '../test/fixtures.js';
import { registry } from './registry.js';
import { compileOnServer, nativeSha256 } from './server-compile.js';

describe('server-side compile', () => {
  test.each([[''], ['abc'], ['ünïcødé ✓'], ['x'.repeat(100_000)]])(
    'native and pure SHA-256 agree on %#',
    (text) => {
      const bytes = new TextEncoder().encode(text);
      expect(nativeSha256(bytes)).toBe(sha256Hex(bytes));
    },
  );

  test('every valid fixture hashes the same on the server as in the browser', () => {
    for (const fixture of loadFixtures('valid')) {
      const options = fixture.policy ? { policy: fixture.policy } : {};
      const browser = compile(fixture.graph, registry, options);
      const server = compileOnServer(fixture.graph, options);
      expect(server.hash, fixture.name).toBe(browser.hash);
      expect(server.hash, fixture.name).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
