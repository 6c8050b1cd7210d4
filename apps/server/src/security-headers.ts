import type { MiddlewareHandler } from 'hono';

/**
 * Security headers on every response. Scripts and styles only from our own origin, nothing inline:
 * React Flow's stylesheet is bundled, and positions set through `element.style` are not subject to CSP.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** HSTS for two years, subdomains included: sent only when the server itself speaks TLS. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';

/**
 * Set on the finished response's own headers. Hono's `c.header()` after the handler builds a new
 * Response for every header it sets (seven per request: a tenth of the server's CPU under webhook
 * load); only a response whose headers are immutable (`Response.redirect`, a fetched one) needs that.
 */
export function securityHeaders(options: { hsts?: boolean } = {}): MiddlewareHandler {
  const headers: [string, string][] = [
    ...(options.hsts ? [['Strict-Transport-Security', STRICT_TRANSPORT_SECURITY] as [string, string]] : []),
    ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Referrer-Policy', 'no-referrer'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Permissions-Policy', 'camera=(), microphone=(), geolocation=()'],
  ];
  return async (c, next) => {
    await next();
    try {
      for (const [name, value] of headers) c.res.headers.set(name, value);
    } catch {
      for (const [name, value] of headers) c.header(name, value);
    }
  };
}
