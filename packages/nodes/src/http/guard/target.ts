// The SSRF guard's decision: may this URL be called, and at which addresses? Refusals are step errors.
import { StepError } from '../../executor.js';
import { hostAllowed } from '../../shared/hosts.js';
import { type AddressClass, classifyAddress, isIpLiteral, NEVER_CALLABLE } from './address.js';
import { ResolveError, type ResolvedAddress, type Resolver } from './resolver.js';

/** A URL the guard let through, and the only addresses a connection to it may use. */
export interface CheckedTarget {
  url: URL;
  /** The host without IPv6 brackets, as a socket or TLS SNI wants it. */
  hostname: string;
  port: number;
  /** Every address the host resolved to (an IP literal: itself), each checked. */
  addresses: readonly ResolvedAddress[];
}

/** Refuses a target: never retryable, the message names the host and why. */
export function refuse(message: string): StepError {
  return new StepError('HTTP_TARGET_REFUSED', message, { retryable: false });
}

const describe = (address: string, klass: AddressClass): string => `${address} (${klass.label})`;

/**
 * Checks a URL against the guard: http or https only, no user info, the host on `allowHosts`,
 * and every address it resolves to (once, through `resolver`) public, unless an allow-list entry
 * names this exact host (not a `*.` wildcard). Unspecified, multicast, broadcast and cloud
 * metadata addresses are refused even then.
 *
 * @example
 * const target = await checkTarget(new URL('https://api.example.com/v1'), ['api.example.com'], systemResolver);
 * target.addresses; // [{ address: '93.184.216.34', family: 4 }]
 */
export async function checkTarget(
  url: URL,
  allowHosts: readonly string[],
  resolver: Resolver,
): Promise<CheckedTarget> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refuse(`"${url.protocol.replace(/:$/, '')}:" URLs are not allowed; only http and https`);
  }
  const host = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  if (url.username || url.password) {
    throw refuse(`the URL for ${host} carries user info (user@host); put secrets in a credential`);
  }
  const literal = isIpLiteral(url.hostname);
  const literalClass = literal ? classifyAddress(url.hostname) : undefined;
  if (!hostAllowed(url.hostname, url.port, allowHosts)) {
    const what = literalClass && literalClass.kind !== 'public' ? ` (${literalClass.label})` : '';
    throw refuse(`${host}${what} is not in allowHosts`);
  }
  const named = hostAllowed(
    url.hostname,
    url.port,
    allowHosts.filter((entry) => !entry.startsWith('*.')),
  );
  const hostname = literal ? url.hostname.replace(/^\[|\]$/g, '') : url.hostname;
  const addresses: readonly ResolvedAddress[] = literal
    ? [{ address: hostname, family: hostname.includes(':') ? 6 : 4 }]
    : await resolveOnce(hostname, resolver);
  if (addresses.length === 0) {
    throw new StepError('HTTP_DNS_FAILED', `"${hostname}" resolved to no address`, { retryable: false });
  }
  for (const { address } of addresses) {
    const klass = classifyAddress(address);
    if (klass.kind === 'public') continue;
    const via = literal ? host : `${host} resolves to ${describe(address, klass)}, which`;
    const subject = literal ? `${host} is ${klass.label}` : via;
    if (NEVER_CALLABLE.has(klass.kind)) {
      throw refuse(
        literal ? `${subject}: never callable` : `${subject} is never callable (${klass.kind} address)`,
      );
    }
    if (!named) {
      throw refuse(
        literal
          ? `${subject}: only public addresses may be called unless allowHosts names the host exactly`
          : `${subject} is not public; only an exact allowHosts entry (not a wildcard) may reach it`,
      );
    }
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { url, hostname, port, addresses };
}

async function resolveOnce(hostname: string, resolver: Resolver): Promise<readonly ResolvedAddress[]> {
  try {
    return await resolver(hostname);
  } catch (error) {
    if (error instanceof ResolveError) {
      throw new StepError('HTTP_DNS_FAILED', error.message, { retryable: error.temporary, cause: error });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new StepError('HTTP_DNS_FAILED', `"${hostname}" did not resolve: ${reason}`, { retryable: false });
  }
}
