import { describe, expect, test } from 'vitest';
import { deriveAuthSecret } from './auth';

describe('deriveAuthSecret', () => {
  test('is a stable function of the master key, different per key, and not the key itself', () => {
    const key = Buffer.alloc(32, 7);
    const secret = deriveAuthSecret(key);
    expect(secret).toBe(deriveAuthSecret(Buffer.alloc(32, 7)));
    expect(secret).not.toBe(deriveAuthSecret(Buffer.alloc(32, 8)));
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(secret).not.toContain(key.toString('base64url'));
  });

  test('refuses a short key', () => {
    expect(() => deriveAuthSecret(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
