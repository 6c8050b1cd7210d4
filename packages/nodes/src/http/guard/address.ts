// The SSRF guard's address classifier: what kind of place an IPv4 or IPv6 address is. Pure.

/** What an address is, for the guard. Only `public` may be called without the allow-list naming the host. */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'ipv4-mapped'
  | 'ipv4-compatible'
  | 'nat64'
  | '6to4'
  | 'teredo'
  | 'invalid';

/** An address's kind and a short description for people (`private (10.0.0.0/8)`). */
export interface AddressClass {
  kind: AddressKind;
  label: string;
}

/** Kinds that can never be a destination, however the allow-list reads. */
export const NEVER_CALLABLE: ReadonlySet<AddressKind> = new Set([
  'unspecified',
  'multicast',
  'broadcast',
  'metadata',
  'invalid',
]);

interface Range4 {
  base: number;
  bits: number;
  kind: AddressKind;
  label: string;
}

const v4 = (dotted: string, bits: number, kind: AddressKind, label: string): Range4 => {
  const base = parseIPv4(dotted);
  if (base === undefined) throw new Error(`bad range ${dotted}`);
  return { base, bits, kind, label };
};

// Most specific first: the first range that contains the address decides.
const IPV4_RANGES: readonly Range4[] = [
  v4('169.254.169.254', 32, 'metadata', 'cloud metadata (169.254.169.254)'),
  v4('100.100.100.200', 32, 'metadata', 'cloud metadata (100.100.100.200)'),
  v4('192.0.0.192', 32, 'metadata', 'cloud metadata (192.0.0.192)'),
  v4('255.255.255.255', 32, 'broadcast', 'broadcast (255.255.255.255)'),
  v4('0.0.0.0', 8, 'unspecified', 'unspecified / "this network" (0.0.0.0/8)'),
  v4('10.0.0.0', 8, 'private', 'private (10.0.0.0/8)'),
  v4('100.64.0.0', 10, 'private', 'carrier-grade NAT (100.64.0.0/10)'),
  v4('127.0.0.0', 8, 'loopback', 'loopback (127.0.0.0/8)'),
  v4('169.254.0.0', 16, 'link-local', 'link-local (169.254.0.0/16)'),
  v4('172.16.0.0', 12, 'private', 'private (172.16.0.0/12)'),
  v4('192.0.0.0', 24, 'reserved', 'IETF protocol assignments (192.0.0.0/24)'),
  v4('192.0.2.0', 24, 'reserved', 'documentation (192.0.2.0/24)'),
  v4('192.88.99.0', 24, 'reserved', '6to4 relay anycast (192.88.99.0/24)'),
  v4('192.168.0.0', 16, 'private', 'private (192.168.0.0/16)'),
  v4('198.18.0.0', 15, 'reserved', 'benchmarking (198.18.0.0/15)'),
  v4('198.51.100.0', 24, 'reserved', 'documentation (198.51.100.0/24)'),
  v4('203.0.113.0', 24, 'reserved', 'documentation (203.0.113.0/24)'),
  v4('224.0.0.0', 4, 'multicast', 'multicast (224.0.0.0/4)'),
  v4('240.0.0.0', 4, 'reserved', 'reserved (240.0.0.0/4)'),
];

/** The 32-bit value of a dotted-decimal IPv4 address (the form `new URL` and resolvers produce). */
export function parseIPv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** The eight 16-bit groups of an IPv6 address (`::` and a dotted IPv4 tail allowed), without zone. */
export function parseIPv6(text: string): number[] | undefined {
  const address = text.replace(/%.*$/, '').toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(address)) return undefined;
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string, endsAddress: boolean): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (piece.includes('.')) {
        if (!endsAddress || i !== pieces.length - 1) return undefined;
        const tail = parseIPv4(piece);
        if (tail === undefined) return undefined;
        out.push(Math.floor(tail / 65536), tail % 65536);
      } else {
        if (!/^[0-9a-f]{1,4}$/.test(piece)) return undefined;
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = groupsOf(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '', true) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** Dotted form of a 32-bit IPv4 value. */
function dotted(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function classifyIPv4(value: number): AddressClass {
  for (const range of IPV4_RANGES) {
    const size = 2 ** (32 - range.bits);
    if (Math.floor(value / size) === Math.floor(range.base / size)) {
      return { kind: range.kind, label: range.label };
    }
  }
  return { kind: 'public', label: 'public' };
}

const embeddedV4 = (g: readonly number[]): number => (g[6] ?? 0) * 65536 + (g[7] ?? 0);
const startsWith = (g: readonly number[], prefix: readonly number[]): boolean =>
  prefix.every((p, i) => g[i] === p);

function classifyIPv6(g: readonly number[]): AddressClass {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return { kind: 'unspecified', label: 'unspecified (::)' };
  if (zeroUpTo(7) && g[7] === 1) return { kind: 'loopback', label: 'loopback (::1)' };
  if (startsWith(g, [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x254])) {
    return { kind: 'metadata', label: 'cloud metadata (fd00:ec2::254)' };
  }
  if (zeroUpTo(5) && g[5] === 0xffff) {
    const inner = dotted(embeddedV4(g));
    return {
      kind: 'ipv4-mapped',
      label: `IPv4-mapped IPv6 of ${inner} (${classifyIPv4(embeddedV4(g)).label})`,
    };
  }
  if (zeroUpTo(4) && g[4] === 0xffff && g[5] === 0) {
    return {
      kind: 'ipv4-mapped',
      label: `IPv4-translated IPv6 of ${dotted(embeddedV4(g))} (::ffff:0:0:0/96)`,
    };
  }
  if (zeroUpTo(6)) {
    return { kind: 'ipv4-compatible', label: `IPv4-compatible IPv6 of ${dotted(embeddedV4(g))} (::/96)` };
  }
  if (startsWith(g, [0x64, 0xff9b, 0, 0, 0, 0])) {
    const inner = classifyIPv4(embeddedV4(g));
    if (inner.kind === 'public') return { kind: 'public', label: 'public (NAT64 of a public IPv4 address)' };
    return { kind: 'nat64', label: `NAT64 of ${dotted(embeddedV4(g))} (${inner.label})` };
  }
  if (startsWith(g, [0x64, 0xff9b, 1])) return { kind: 'nat64', label: 'local-use NAT64 (64:ff9b:1::/48)' };
  if (g[0] === 0x2002) return { kind: '6to4', label: '6to4 (2002::/16)' };
  if (g[0] === 0x2001 && g[1] === 0) return { kind: 'teredo', label: 'Teredo (2001::/32)' };
  if (g[0] === 0x2001 && g[1] === 0xdb8) return { kind: 'reserved', label: 'documentation (2001:db8::/32)' };
  if (g[0] === 0x2001 && (g[1] ?? 0) < 0x200) {
    return { kind: 'reserved', label: 'IETF special-purpose (2001::/23)' };
  }
  if (startsWith(g, [0x100, 0, 0, 0])) return { kind: 'reserved', label: 'discard-only (100::/64)' };
  const first = g[0] ?? 0;
  if ((first & 0xfe00) === 0xfc00) return { kind: 'private', label: 'unique local (fc00::/7)' };
  if ((first & 0xffc0) === 0xfe80) return { kind: 'link-local', label: 'link-local (fe80::/10)' };
  if ((first & 0xffc0) === 0xfec0) return { kind: 'private', label: 'site-local (fec0::/10)' };
  if ((first & 0xff00) === 0xff00) return { kind: 'multicast', label: 'multicast (ff00::/8)' };
  if ((first & 0xe000) !== 0x2000)
    return { kind: 'reserved', label: 'not global unicast (outside 2000::/3)' };
  return { kind: 'public', label: 'public' };
}

/**
 * Classifies an IP address as a resolver or `new URL` writes it (dotted IPv4, or IPv6 with or
 * without brackets). Anything that does not parse is `invalid`.
 *
 * @example
 * classifyAddress('10.1.2.3'); // { kind: 'private', label: 'private (10.0.0.0/8)' }
 * classifyAddress('[::ffff:7f00:1]').kind; // 'ipv4-mapped'
 */
export function classifyAddress(address: string): AddressClass {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const four = parseIPv4(bare);
  if (four !== undefined) return classifyIPv4(four);
  const six = bare.includes(':') ? parseIPv6(bare) : undefined;
  if (six) return classifyIPv6(six);
  return { kind: 'invalid', label: 'not an IP address' };
}

/** Whether a host (as `URL.hostname` writes it) is an IP literal rather than a name. */
export function isIpLiteral(hostname: string): boolean {
  return parseIPv4(hostname) !== undefined || (hostname.startsWith('[') && hostname.endsWith(']'));
}
