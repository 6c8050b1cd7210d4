// Helpers for the server's tests: an app with test settings, and a real loopback HTTP server.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type ApiServices, deriveAuthSecret, type SignInThrottle } from '@sluice/api';
import { testVault } from '@sluice/api/testing';
import type { Database } from '@sluice/db';
import type { Hono } from 'hono';
import { createApp } from './app';
import type { WebhookOptions } from './hooks';
import { publicOrigins } from './config';

/** Sign-in limits high enough that tests signing in several members never meet them. */
export const relaxedThrottle: SignInThrottle = {
  perIp: { window: 60, max: 1000 },
  perEmail: { window: 60, max: 1000 },
};

export function testApp(
  db: Database,
  options: {
    publicUrl?: string;
    throttle?: SignInThrottle;
    webDir?: string;
    services?: Partial<ApiServices>;
    webhooks?: WebhookOptions;
    tls?: boolean;
  } = {},
): Hono {
  const origins = publicOrigins(options.publicUrl ?? 'http://localhost:3000');
  return createApp({
    db,
    version: 'test',
    ...(options.webDir ? { webDir: options.webDir } : {}),
    // The credentials vault of the API's test fixtures, unless a test brings its own services.
    services: { vault: testVault(db), ...options.services },
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
    auth: {
      secret: deriveAuthSecret(randomBytes(32)),
      publicUrl: origins.publicUrl,
      trustedOrigins: origins.trustedOrigins,
      throttle: options.throttle ?? relaxedThrottle,
    },
  });
}

export interface LoopbackServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `http://localhost:<port>`: the public URL the app was built with. */
  publicUrl: string;
  close(): Promise<void>;
}

/** Serves an app made by `make(publicUrl)` on a free loopback port. */
export async function listenOnLoopback(make: (publicUrl: string) => Hono): Promise<LoopbackServer> {
  // The app needs the port in its public URL, and the port is known once listening.
  const holder: { app?: Hono } = {};
  const server = serve({
    fetch: (request, env) => {
      if (!holder.app) return new Response('starting', { status: 503 });
      return holder.app.fetch(request, env);
    },
    port: 0,
    hostname: '127.0.0.1',
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const { port } = address satisfies AddressInfo;
  const publicUrl = `http://localhost:${port}`;
  holder.app = make(publicUrl);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    publicUrl,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The `name=value` of each Set-Cookie of a response, ready for a Cookie header. */
export function cookieHeader(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

/** Signs in through better-auth over real HTTP; returns the Cookie header of the session. */
export async function signIn(server: LoopbackServer, email: string, password: string): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200)
    throw new Error(`sign-in of ${email}: ${response.status} ${await response.text()}`);
  return cookieHeader(response);
}
