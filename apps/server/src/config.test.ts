import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  test('defaults: port 3000 on loopback, data under ./.sluice, embedded database', () => {
    const config = loadConfig({}, '/srv/sluice');
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: '/srv/sluice/.sluice',
    });
  });

  test('reads every documented variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/sluice',
        SLUICE_DATA_DIR: 'var/data',
        SLUICE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
        SLUICE_LOG_LEVEL: 'warn',
      },
      '/srv',
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgresql://u:p@127.0.0.1:5432/sluice',
      dataDir: path.resolve('/srv/var/data'),
      logLevel: 'warn',
    });
  });

  test('empty values count as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }, '/x')).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
    });
  });

  test.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL: must be a postgres'],
    [{ SLUICE_MASTER_KEY: 'short' }, 'SLUICE_MASTER_KEY: must be 32 random bytes'],
    [{ SLUICE_LOG_LEVEL: 'loud' }, 'SLUICE_LOG_LEVEL'],
  ])('refuses %j with a message naming the variable', (env, expected) => {
    expect(() => loadConfig(env, '/x')).toThrow(ConfigError);
    expect(() => loadConfig(env, '/x')).toThrow(expected);
  });
});

describe('the public URL', () => {
  test('defaults to localhost on the port; loopback aliases are trusted', () => {
    expect(loadConfig({ PORT: '4100' }, '/x')).toMatchObject({
      publicUrl: 'http://localhost:4100',
      trustedOrigins: ['http://localhost:4100', 'http://127.0.0.1:4100', 'http://[::1]:4100'],
    });
  });

  test('another host is trusted alone, without a trailing slash', () => {
    expect(loadConfig({ SLUICE_PUBLIC_URL: 'https://sluice.example.com/' }, '/x')).toMatchObject({
      publicUrl: 'https://sluice.example.com',
      trustedOrigins: ['https://sluice.example.com'],
    });
  });

  test.each([
    ['ftp://sluice.example.com', 'http:// or https://'],
    ['https://sluice.example.com/app', 'without a path'],
    ['not a url', 'SLUICE_PUBLIC_URL'],
  ])('refuses %s', (value, expected) => {
    expect(() => loadConfig({ SLUICE_PUBLIC_URL: value }, '/x')).toThrow(expected);
  });
});

describe('TLS', () => {
  test('SLUICE_TLS_CERT and SLUICE_TLS_KEY together make the server speak HTTPS, on an https public URL', () => {
    expect(
      loadConfig({ PORT: '4443', SLUICE_TLS_CERT: 'tls/cert.pem', SLUICE_TLS_KEY: '/etc/key.pem' }, '/srv'),
    ).toMatchObject({
      tls: { certFile: path.resolve('/srv/tls/cert.pem'), keyFile: '/etc/key.pem' },
      publicUrl: 'https://localhost:4443',
    });
    expect(loadConfig({}, '/srv').tls).toBeUndefined();
  });

  test.each([[{ SLUICE_TLS_CERT: 'c.pem' }], [{ SLUICE_TLS_KEY: 'k.pem' }]])(
    'refuses one without the other: %j',
    (env) => {
      expect(() => loadConfig(env, '/x')).toThrow('SLUICE_TLS_CERT and SLUICE_TLS_KEY must be set together');
    },
  );
});
