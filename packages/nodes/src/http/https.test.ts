// https through the guard: the socket goes to the checked address while TLS (SNI and certificate
// verification) still uses the URL's name. A throwaway certificate for `echo.test` is made with the
// openssl CLI; the server listens on 127.0.0.1 only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHttpExecutor } from './execute.js';
import { httpContext, loopbackOnlyConnector, tableResolver } from './test-support.js';

let dir: string;
let cert: string;
let server: Server;
let port: number;
const seen: { servername: string | false | null; host: string | undefined; url: string | undefined }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-https-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=echo.test',
      '-addext',
      'subjectAltName=DNS:echo.test',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
    const servername = req.socket instanceof TLSSocket ? req.socket.servername : false;
    seen.push({ servername, host: req.headers.host, url: req.url });
    if (req.url?.startsWith('/downgrade')) {
      res.writeHead(302, { location: `http://echo.test:${port}/plain` }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"secure":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address: AddressInfo | string | null = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const resolver = () => tableResolver({ 'echo.test': ['127.0.0.1'], 'other.test': ['127.0.0.1'] });

async function call(url: string, allowHost: string, ca: string[] | undefined, maxRedirects = 0) {
  const executor = createHttpExecutor({
    resolver: resolver(),
    connector: loopbackOnlyConnector,
    ...(ca ? { ca } : {}),
  });
  const { ctx } = httpContext({ method: 'GET', url, allowHosts: [allowHost], limits: { maxRedirects } });
  return Promise.resolve(executor.execute(ctx));
}

describe('https through the SSRF guard', () => {
  test('connects to the pinned address with SNI and certificate checks on the name', async () => {
    seen.length = 0;
    const result = await call(`https://echo.test:${port}/x`, `echo.test:${port}`, [cert]);
    expect(result).toMatchObject({ output: { status: 200, body: { secure: true } } });
    expect(seen).toEqual([{ servername: 'echo.test', host: `echo.test:${port}`, url: '/x' }]);
  });

  test('an untrusted certificate fails the step (not retryable)', async () => {
    await expect(call(`https://echo.test:${port}/x`, `echo.test:${port}`, undefined)).rejects.toMatchObject({
      code: 'HTTP_TLS_FAILED',
      retryable: false,
    });
  });

  test('a certificate for another name fails, although the address is the same', async () => {
    await expect(call(`https://other.test:${port}/x`, `other.test:${port}`, [cert])).rejects.toMatchObject({
      code: 'HTTP_TLS_FAILED',
      message: expect.stringMatching(/other\.test/),
    });
  });

  test('a redirect from https to http is refused', async () => {
    await expect(
      call(`https://echo.test:${port}/downgrade`, `echo.test:${port}`, [cert], 2),
    ).rejects.toMatchObject({ code: 'HTTP_TARGET_REFUSED', message: expect.stringMatching(/https to http/) });
  });
});
