// `sluice start` with SLUICE_TLS_CERT / SLUICE_TLS_KEY speaks HTTPS and sends HSTS; without them,
// plain HTTP and no HSTS. A real process, a certificate generated here, a client trusting only it.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { asDatabase } from '@sluice/api/testing';
import { createTestDatabase, test } from '@sluice/db/testing';
import { generate } from 'selfsigned';
import { afterAll, describe, expect } from 'vitest';
import { STRICT_TRANSPORT_SECURITY } from './security-headers';
import { testApp } from './test-support';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const children = new Set<ChildProcess>();
afterAll(() => children.forEach((child) => child.kill('SIGKILL')));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** GET over TLS, trusting only `ca`: status, headers and the peer certificate's fingerprint. */
function getTls(url: string, ca: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; fingerprint: string; body: string }>(
    (resolve, reject) => {
      const request = https.get(url, { ca, servername: 'localhost' }, (response) => {
        const socket = response.socket;
        const fingerprint = socket instanceof TLSSocket ? socket.getPeerCertificate().fingerprint256 : '';
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, fingerprint, body }),
        );
      });
      request.on('error', reject);
    },
  );
}

describe('HTTPS', () => {
  test('sluice start serves TLS with the configured certificate and sends HSTS', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      algorithm: 'sha256',
      keyType: 'ec',
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-tls-'));
    const database = await createTestDatabase();
    try {
      await fs.writeFile(path.join(dir, 'cert.pem'), pems.cert);
      await fs.writeFile(path.join(dir, 'key.pem'), pems.private, { mode: 0o600 });
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
        cwd: serverDir,
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          DATABASE_URL: database.url,
          SLUICE_DATA_DIR: path.join(dir, 'data'),
          SLUICE_MASTER_KEY: randomBytes(32).toString('base64'),
          SLUICE_TLS_CERT: path.join(dir, 'cert.pem'),
          SLUICE_TLS_KEY: path.join(dir, 'key.pem'),
          SLUICE_LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.add(child);
      let output = '';
      child.stdout?.on('data', (chunk) => (output += chunk));
      child.stderr?.on('data', (chunk) => (output += chunk));
      const deadline = Date.now() + 45_000;
      while (!output.includes('listening on')) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(output).toContain(`listening on https://127.0.0.1:${port}`);

      for (const url of [`https://127.0.0.1:${port}/healthz`, `https://localhost:${port}/healthz`]) {
        const answer = await getTls(url, pems.cert);
        expect(answer.status, url).toBe(200);
        expect(answer.headers['strict-transport-security']).toBe(STRICT_TRANSPORT_SECURITY);
        expect(answer.fingerprint).toBe(new X509Certificate(pems.cert).fingerprint256);
      }
      // A client that does not trust the certificate is refused by its own TLS check.
      await expect(getTls(`https://127.0.0.1:${port}/healthz`, '')).rejects.toThrow();
      // Plain HTTP on that port is not served.
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    } finally {
      await database.drop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  test('over plain HTTP there is no HSTS', async ({ db }) => {
    const response = await testApp(asDatabase(db)).request('/healthz');
    expect(response.headers.get('strict-transport-security')).toBeNull();
    const tls = await testApp(asDatabase(db), { tls: true }).request('/healthz');
    expect(tls.headers.get('strict-transport-security')).toBe(STRICT_TRANSPORT_SECURITY);
  });
});
