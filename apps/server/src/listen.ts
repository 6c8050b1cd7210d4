// Listening: plain HTTP, or HTTPS (node:https) when a certificate and key are configured.
import fs from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import { serve } from '@hono/node-server';

export type ListeningServer = ReturnType<typeof serve>;

export interface ListenOptions {
  fetch: Parameters<typeof serve>[0]['fetch'];
  port: number;
  hostname: string;
  /** PEM files; with them the server speaks only HTTPS. */
  tls?: { certFile: string; keyFile: string } | undefined;
}

/**
 * Starts listening; resolves once the port is bound, rejects with a clear message when it is taken
 * or the certificate files cannot be read.
 *
 * @example
 * const server = await listen({ fetch: app.fetch, port: 443, hostname: '0.0.0.0', tls: config.tls });
 */
export async function listen({ fetch, port, hostname, tls }: ListenOptions): Promise<ListeningServer> {
  const secure = tls ? await readTlsFiles(tls) : undefined;
  return new Promise((resolve, reject) => {
    const server = secure
      ? serve({ fetch, port, hostname, createServer: createHttpsServer, serverOptions: secure }, () =>
          resolve(server),
        )
      : serve({ fetch, port, hostname }, () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} on ${hostname} is already in use; set PORT to another one`)
          : error,
      ),
    );
  });
}

async function readTlsFiles(tls: {
  certFile: string;
  keyFile: string;
}): Promise<{ cert: Buffer; key: Buffer }> {
  const read = (file: string, variable: string) =>
    fs.readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`${variable} ${file} cannot be read (${error.code ?? error.message})`);
    });
  return {
    cert: await read(tls.certFile, 'SLUICE_TLS_CERT'),
    key: await read(tls.keyFile, 'SLUICE_TLS_KEY'),
  };
}
