import type { MiddlewareHandler } from 'hono';

const apiPrefixes = ['/trpc', '/api', '/hooks'];

/**
 * Answers 404 to any path that is not in its one canonical spelling: doubled slashes, encoded dots,
 * slashes or backslashes, an API prefix in another case (`/TRPC/…`), or a procedure path with a
 * trailing slash. Such paths could otherwise
 * reach a handler by a route other than the one its checks were written for.
 */
export function canonicalPaths(): MiddlewareHandler {
  return async (c, next) => {
    const raw = rawPath(c.req.url);
    const lower = raw.toLowerCase();
    const encodedSeparator = /%(2e|2f|5c|00)/i.test(raw);
    const wrongCase = apiPrefixes.some(
      (prefix) => (lower === prefix || lower.startsWith(`${prefix}/`)) && !raw.startsWith(prefix),
    );
    const trailingSlash = raw.length > 1 && raw.endsWith('/') && lower.startsWith('/trpc/');
    if (raw.includes('//') || raw.includes('\\') || encodedSeparator || wrongCase || trailingSlash)
      return c.json({ error: 'not found' }, 404);
    return next();
  };
}

/** The path as the client sent it: between the authority and the query, not decoded. */
function rawPath(url: string): string {
  const afterScheme = url.indexOf('://');
  const start = url.indexOf('/', afterScheme === -1 ? 0 : afterScheme + 3);
  if (start === -1) return '/';
  const end = url.search(/[?#]/);
  return end === -1 || end < start ? url.slice(start) : url.slice(start, end);
}
