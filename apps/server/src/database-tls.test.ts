// An external DATABASE_URL with `sslmode=verify-full&sslrootcert=<ca file>` is honoured on every
// connection Sluice opens (migrator, Prisma through PrismaPg, the engine store's pool): a stand-in
// PostgreSQL on 127.0.0.1 answers the SSLRequest and completes a TLS handshake, and we watch which
// clients completed one (trusting only our CA, with the host name checked) and which refused.
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { createPrismaClient, openDatabase, openPgStore } from '@sluice/db';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

/** PostgreSQL's SSLRequest code (protocol 1234.5679). */
const SSL_REQUEST = 80877103;

interface StandIn {
  port: number;
  /** Handshakes that completed (the client trusted the certificate), with the SNI name asked for. */
  handshakes: string[];
  close(): Promise<void>;
}

/** Answers 'S' to an SSLRequest and completes TLS with `cert`, then hangs up (it is no database). */
async function tlsStandIn(cert: string, key: string): Promise<StandIn> {
  const handshakes: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', (first) => {
      if (first.length < 8 || first.readInt32BE(4) !== SSL_REQUEST) return socket.destroy();
      socket.write('S');
      const secure = new tls.TLSSocket(socket, { isServer: true, cert, key });
      secure.on('error', () => undefined);
      secure.on('secure', () => {
        handshakes.push(secure.servername || '(no SNI)');
        secure.destroy();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    handshakes,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}

async function certificate(commonName: string) {
  return generate([{ name: 'commonName', value: commonName }], {
    algorithm: 'sha256',
    keyType: 'ec',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames: [{ type: 2, value: commonName }] },
    ],
  });
}

describe('DATABASE_URL with sslmode=verify-full', () => {
  let dir: string;
  let standIn: StandIn;
  let caFile: string;
  let otherCaFile: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-pgtls-'));
    const server = await certificate('localhost');
    const stranger = await certificate('localhost');
    caFile = path.join(dir, 'ca.pem');
    otherCaFile = path.join(dir, 'other-ca.pem');
    await fs.writeFile(caFile, server.cert);
    await fs.writeFile(otherCaFile, stranger.cert);
    standIn = await tlsStandIn(server.cert, server.private);
  });
  afterAll(async () => {
    await standIn?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const url = (host: string, ca: string) =>
    `postgresql://sluice:pw@${host}:${standIn.port}/sluice?sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}`;

  /** Runs `connect` (which fails: the stand-in is no database) and returns the handshakes it made. */
  async function handshakesOf(connect: () => Promise<unknown>): Promise<{ made: string[]; error: string }> {
    const before = standIn.handshakes.length;
    const error = await connect().then(
      () => 'connected',
      (e: unknown) => (e instanceof Error ? `${e.message} ${String(e.cause ?? '')}` : String(e)),
    );
    return { made: standIn.handshakes.slice(before), error };
  }

  test('every entry point completes TLS, naming the host, when the certificate is trusted', async () => {
    const good = url('localhost', caFile);
    const migrator = await handshakesOf(() => openDatabase({ dataDir: dir, databaseUrl: good }));
    expect(migrator.made).toEqual(['localhost']);

    const prisma = createPrismaClient(good);
    const viaPrisma = await handshakesOf(() => prisma.$queryRaw`SELECT 1`);
    await prisma.$disconnect().catch(() => undefined);
    expect(viaPrisma.made.length).toBeGreaterThanOrEqual(1);
    expect(new Set(viaPrisma.made)).toEqual(new Set(['localhost']));

    const store = await handshakesOf(() => openPgStore({ url: good }));
    expect(store.made.length).toBeGreaterThanOrEqual(1);
    expect(new Set(store.made)).toEqual(new Set(['localhost']));
  });

  test('a certificate from another CA, or for another host name, is refused before any handshake completes', async () => {
    const untrusted = await handshakesOf(() =>
      openDatabase({ dataDir: dir, databaseUrl: url('localhost', otherCaFile) }),
    );
    expect(untrusted.made).toEqual([]);
    expect(untrusted.error).toMatch(/certificate|self.signed/i);

    const prisma = createPrismaClient(url('localhost', otherCaFile));
    const viaPrisma = await handshakesOf(() => prisma.$queryRaw`SELECT 1`);
    await prisma.$disconnect().catch(() => undefined);
    expect(viaPrisma.made).toEqual([]);

    const store = await handshakesOf(() => openPgStore({ url: url('localhost', otherCaFile) }));
    expect(store.made).toEqual([]);

    // verify-full checks the name: the certificate is for localhost, the URL says 127.0.0.1.
    const wrongName = await handshakesOf(() =>
      openDatabase({ dataDir: dir, databaseUrl: url('127.0.0.1', caFile) }),
    );
    expect(wrongName.made).toEqual([]);
    expect(wrongName.error).toMatch(/altnames|host|IP/i);
  });
});
