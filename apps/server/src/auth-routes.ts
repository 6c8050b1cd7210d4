import { getConnInfo } from '@hono/node-server/conninfo';
import { type Auth, CLIENT_IP_HEADER } from '@sluice/api';
import type { Context, Hono } from 'hono';

/** The peer address of the connection (never a header a client could set); null without a socket. */
export function clientIp(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

/**
 * Mounts better-auth at /api/auth/*. The client address better-auth throttles by is the socket's:
 * any value of the header it reads that a client sent is replaced.
 */
export function mountAuth(app: Hono, auth: Auth): void {
  app.on(['GET', 'POST'], '/api/auth/*', (c) => {
    const headers = new Headers(c.req.raw.headers);
    headers.delete(CLIENT_IP_HEADER);
    const ip = clientIp(c);
    if (ip) headers.set(CLIENT_IP_HEADER, ip);
    return auth.handler(new Request(c.req.raw, { headers }));
  });
}
