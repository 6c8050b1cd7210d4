// Name resolution for the SSRF guard: one lookup per request, through a function tests can replace.
import { lookup } from 'node:dns/promises';

/** One address a name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves a host name to every address it has. The guard calls it once per request and connects
 * only to the addresses it returned (no second lookup, so no DNS rebinding between check and use).
 */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** A failed lookup, with whether trying again later could help (a temporary DNS failure). */
export class ResolveError extends Error {
  readonly temporary: boolean;
  constructor(message: string, temporary: boolean) {
    super(message);
    this.name = 'ResolveError';
    this.temporary = temporary;
  }
}

/**
 * The system resolver (`getaddrinfo`, so `/etc/hosts` counts), all addresses, in the resolver's order.
 *
 * @example
 * await systemResolver('localhost'); // [{ address: '127.0.0.1', family: 4 }, ...]
 */
export const systemResolver: Resolver = async (hostname) => {
  try {
    const found = await lookup(hostname, { all: true, order: 'verbatim' });
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown';
    throw new ResolveError(`"${hostname}" did not resolve (${code})`, code === 'EAI_AGAIN');
  }
};
