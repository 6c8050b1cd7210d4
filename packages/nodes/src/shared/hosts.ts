import { z } from 'zod';

/** An allowed host: `api.example.com`, `*.example.com`, optionally `:port`. */
export const AllowedHost = z
  .string()
  .toLowerCase()
  .regex(
    /^(?:\*\.)?(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::\d{1,5})?$|^\[[0-9a-f:]+\](?::\d{1,5})?$/,
    'a host name such as api.example.com or *.example.com, with an optional :port',
  );

export type StaticHost =
  | { ok: true; protocol: string; hostname: string; port: string }
  | { ok: false; reason: 'dynamic' | 'invalid'; message: string };

/**
 * The literal scheme and host of a URL template. The host must not be computed (`{{ }}` before the
 * path), or no allow-list could hold: the SSRF guard starts here.
 *
 * @example
 * staticHost('https://api.stripe.com/v1/refunds/{{ input.id }}'); // { ok: true, hostname: 'api.stripe.com', ... }
 */
export function staticHost(template: string): StaticHost {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(template);
  if (!scheme) {
    if (template.trimStart().startsWith('{{')) {
      return { ok: false, reason: 'dynamic', message: 'the URL starts with an expression' };
    }
    return { ok: false, reason: 'invalid', message: 'the URL needs http:// or https://' };
  }
  const rest = template.slice(scheme[0].length);
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  if (authority.includes('{{')) {
    return { ok: false, reason: 'dynamic', message: 'the host is computed by an expression' };
  }
  const protocol = (scheme[1] ?? '').toLowerCase();
  if (protocol !== 'http' && protocol !== 'https') {
    return { ok: false, reason: 'invalid', message: `"${protocol}" URLs are not allowed; use http or https` };
  }
  try {
    const url = new URL(`${protocol}://${authority}/`);
    return { ok: true, protocol, hostname: url.hostname.toLowerCase(), port: url.port };
  } catch {
    return { ok: false, reason: 'invalid', message: `"${authority}" is not a valid host` };
  }
}

/**
 * Whether a host is on an allow-list (`*.example.com` matches sub-domains, not the apex; an entry
 * with a port matches only that port).
 *
 * @example
 * hostAllowed('api.example.com', '', ['*.example.com']); // true
 */
export function hostAllowed(hostname: string, port: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    const match = /^(.*?)(?::(\d+))?$/.exec(entry);
    const host = match?.[1] ?? entry;
    const entryPort = match?.[2];
    if (entryPort !== undefined && entryPort !== port) return false;
    if (host.startsWith('*.')) return hostname.endsWith(host.slice(1)) && hostname.length > host.length - 1;
    return host === hostname;
  });
}

/** Whether a host is this machine (loopback), where data does not leave the trust boundary. */
export function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    hostname === '::1' ||
    /^127(?:\.\d{1,3}){3}$/.test(hostname)
  );
}
