// Encoded payloads: long base64 or hex runs that decode to readable text carrying instructions.
// Binary blobs (images, hashes, ciphertext) do not decode to text and are left alone.
import { hasInstructionCue, type SignalHit } from './cues.js';

const BASE64_RUN = /(?<![A-Za-z0-9+/_=-])[A-Za-z0-9+/_-]{32,}={0,2}(?![A-Za-z0-9+/_=-])/g;
const HEX_RUN = /(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){20,}(?![0-9A-Fa-f])/g;
/** Only the start of a long run is decoded: enough to see what it says. */
const MAX_DECODED_CHARS = 65_536;

function readable(bytes: Buffer): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  if (text.length === 0) return undefined;
  let printable = 0;
  for (const ch of text) if (/[\p{L}\p{N}\p{P}\p{Zs}\n\t]/u.test(ch)) printable++;
  return printable / text.length >= 0.9 ? text : undefined;
}

function decodeBase64(run: string): string | undefined {
  const body = run.slice(0, MAX_DECODED_CHARS).replace(/=+$/, '');
  if (!/[A-Z]/.test(body) || !/[a-z]/.test(body)) return undefined;
  return readable(Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

function decodeHex(run: string): string | undefined {
  return readable(Buffer.from(run.slice(0, MAX_DECODED_CHARS), 'hex'));
}

function scan(text: string, re: RegExp, decode: (run: string) => string | undefined, out: SignalHit[]): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const decoded = decode(m[0]);
    if (decoded === undefined) continue;
    const start = m.index;
    const end = m.index + m[0].length;
    if (hasInstructionCue(decoded)) out.push({ signal: 'encoded_payload', weight: 0.85, start, end });
    else if (/\s/.test(decoded) && decoded.length >= 24) {
      out.push({ signal: 'encoded_payload', weight: 0.25, start, end });
    }
  }
}

/** Evidence of encoded text in `text`. */
export function findEncoded(text: string, out: SignalHit[]): void {
  if (text.length < 32) return;
  scan(text, BASE64_RUN, decodeBase64, out);
  scan(text, HEX_RUN, decodeHex, out);
}
