// IP addresses: dotted IPv4 (no leading zeros, not a version number) and IPv6 (RFC 4291 text forms).
import type { PatternSpec, Span } from './pattern.js';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

/** `version 1.2.3.4`, `v1.2.3.4`, `build 10.0.19041.1`: four-part version numbers, not addresses. */
const VERSION_BEFORE = /(?:\bversion|\bver\.?|\brelease|\bbuild|\bv)\s{0,2}$/i;

const ipv4: PatternSpec = {
  detector: 'ip_address',
  kind: 'ipv4',
  needs: /\d\.\d/,
  pattern: new RegExp(
    `(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?:\\/(?:3[0-2]|[12]?\\d))?(?![\\w]|\\.\\d)`,
    'g',
  ),
  accept: (_m, text, span) =>
    VERSION_BEFORE.test(text.slice(Math.max(0, span.start - 12), span.start)) ? undefined : span,
};

const IPV4_EXACT = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/**
 * True for an IPv6 address in one of the RFC 4291 text forms, with at least two groups written out
 * (so `::` and `a::` are not reported) and an optional zone (`%eth0`).
 */
export function ipv6Valid(candidate: string): boolean {
  const text = candidate.split('%')[0] ?? '';
  const halves = text.split('::');
  if (halves.length > 2) return false;
  let groups = 0;
  let written = 0;
  for (let h = 0; h < halves.length; h++) {
    const half = halves[h] ?? '';
    if (half === '') continue;
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] ?? '';
      const last = h === halves.length - 1 && i === parts.length - 1;
      if (last && part.includes('.')) {
        if (!IPV4_EXACT.test(part)) return false;
        groups += 2;
        written += 2;
      } else if (HEX_GROUP.test(part)) {
        groups += 1;
        written += 1;
      } else return false;
    }
  }
  if (written < 2) return false;
  return halves.length === 2 ? groups <= 7 : groups === 8;
}

const ipv6: PatternSpec = {
  detector: 'ip_address',
  kind: 'ipv6',
  needs: /:[0-9A-Fa-f]*:/,
  pattern:
    /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?:%[\w.]{1,16})?(?![\w:]|\.\w)/g,
  accept: (m, _text, span: Span) => (ipv6Valid(m[0]) ? span : undefined),
};

export const networkPatterns: readonly PatternSpec[] = [ipv4, ipv6];
