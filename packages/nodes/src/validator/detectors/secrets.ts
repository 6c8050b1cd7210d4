// Secrets (the `api_key` detector): cloud keys (AWS, Google Cloud, Azure), well-known token formats
// (GitHub, Slack, Stripe, OpenAI/Anthropic-style `sk-`), JWTs, bearer and basic credentials, and
// private key PEM blocks.
import type { PatternSpec, Span, TextMatch } from './pattern.js';

function base64Decode(text: string): string | undefined {
  const normal = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = normal + '='.repeat((4 - (normal.length % 4)) % 4);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(padded)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(padded, 'base64'));
  } catch {
    return undefined;
  }
}

/** A JWT's first part must decode to a JSON object naming its algorithm. */
export function jwtHeaderValid(token: string): boolean {
  const header = base64Decode(token.split('.')[0] ?? '');
  if (header === undefined) return false;
  try {
    const parsed: unknown = JSON.parse(header);
    return typeof parsed === 'object' && parsed !== null && 'alg' in parsed && typeof parsed.alg === 'string';
  } catch {
    return false;
  }
}

const secret = (kind: string, pattern: RegExp, extra: Partial<PatternSpec> = {}): PatternSpec => ({
  detector: 'api_key',
  kind,
  pattern,
  ...extra,
});

const hasDigitAndLetter = (m: RegExpExecArray, _text: string, span: Span): Span | undefined =>
  /\d/.test(m[0]) && /[A-Za-z]/.test(m[0].slice(3)) ? span : undefined;

export const secretPatterns: readonly PatternSpec[] = [
  secret('aws_access_key_id', /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g),
  secret(
    'aws_secret_access_key',
    /\baws.{0,20}?(?:secret|sk).{0,20}?[:=]\s{0,5}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
    { group: 1, needs: /aws/i },
  ),
  secret('gcp_api_key', /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])/g),
  secret('gcp_oauth_client_secret', /(?<![\w-])GOCSPX-[A-Za-z0-9_-]{28}(?![\w-])/g),
  secret('azure_storage_account_key', /AccountKey=([A-Za-z0-9+/]{86}==)/dg, { group: 1 }),
  secret('azure_sas_signature', /[?&]sig=([A-Za-z0-9%+/]{30,120}={0,2})(?![A-Za-z0-9%+/=])/dg, {
    group: 1,
  }),
  secret('azure_client_secret', /(?<![\w~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![\w~.-])/g),
  secret(
    'github_token',
    /(?<![\w-])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![\w-])/g,
  ),
  secret('slack_token', /(?<![\w-])xox[abposr]-[A-Za-z0-9-]{10,250}(?![\w-])/g),
  secret('stripe_key', /(?<![\w-])(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,128}(?![\w-])/g),
  secret('sk_api_key', /(?<![\w-])sk-[A-Za-z0-9_-]{20,256}(?![\w-])/g, { accept: hasDigitAndLetter }),
  secret(
    'jwt',
    /(?<![\w-])eyJ[A-Za-z0-9_-]{5,4096}\.[A-Za-z0-9_-]{2,16384}\.[A-Za-z0-9_-]{0,8192}(?![\w-])/g,
    { accept: (m, _text, span) => (jwtHeaderValid(m[0]) ? span : undefined) },
  ),
  secret('bearer_token', /\bBearer[ \t]{1,8}([A-Za-z0-9._~+/-]{16,4096}={0,2})(?![\w.~+/=-])/dgi, {
    group: 1,
    accept: (m, _text, span) => (/[^a-z]/.test(m[1] ?? '') ? span : undefined),
  }),
  secret('basic_credentials', /\bBasic[ \t]{1,8}([A-Za-z0-9+/]{8,1024}={0,2})(?![\w+/=])/dg, {
    group: 1,
    accept: (m, _text, span) => {
      const decoded = base64Decode(m[1] ?? '');
      return decoded !== undefined && /^[\x21-\x7e][\x20-\x7e]*:[\x20-\x7e]*$/.test(decoded)
        ? span
        : undefined;
    },
  }),
];

const PEM_BEGIN = /-----BEGIN (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;

/**
 * Private key PEM blocks, from `-----BEGIN … PRIVATE KEY-----` through the matching END line. A block
 * with no END line runs to the end of the text: better to mask too much of a key than too little.
 */
export function scanPrivateKeys(text: string, out: TextMatch[]): void {
  if (!text.includes('PRIVATE KEY')) return;
  PEM_BEGIN.lastIndex = 0;
  for (let begin = PEM_BEGIN.exec(text); begin !== null; begin = PEM_BEGIN.exec(text)) {
    PEM_END.lastIndex = begin.index + begin[0].length;
    const end = PEM_END.exec(text);
    const stop = end ? end.index + end[0].length : text.length;
    out.push({ detector: 'api_key', kind: 'private_key', start: begin.index, end: stop });
    PEM_BEGIN.lastIndex = stop;
    if (!end) return;
  }
}
