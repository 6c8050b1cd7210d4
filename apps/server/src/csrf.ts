import type { MiddlewareHandler } from 'hono';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection for every state-changing request (tRPC mutations, /api/auth, anything not GET):
 * the browser must say the request comes from one of our own origins, through `Origin` or, when a
 * browser sends no usable Origin, `Sec-Fetch-Site: same-origin`. A request carrying only a bearer
 * token (no cookie, no Origin: an agent, not a browser) needs neither, since no browser attaches a
 * bearer token on its own. Webhooks (/hooks) are authenticated by their signature instead.
 * No CORS headers are ever sent, so no other origin can read an answer either.
 */
export function sameOriginWrites(trustedOrigins: readonly string[]): MiddlewareHandler {
  const trusted = new Set(trustedOrigins);
  return async (c, next) => {
    if (safeMethods.has(c.req.method) || c.req.path.startsWith('/hooks/')) return next();
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    if (origin !== undefined && origin !== 'null') {
      if (trusted.has(origin)) return next();
    } else if (site === 'same-origin') {
      return next();
    } else if (origin === undefined && site === undefined && isBearerOnly(c.req.header.bind(c.req))) {
      return next();
    }
    return c.json(
      {
        error: {
          code: 'FORBIDDEN',
          message: 'cross-origin request refused: state-changing requests must come from this site',
        },
      },
      403,
    );
  };
}

function isBearerOnly(header: (name: string) => string | undefined): boolean {
  return /^Bearer\s/i.test(header('authorization') ?? '') && header('cookie') === undefined;
}
