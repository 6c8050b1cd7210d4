// Identifiers and content hashes the engine creates.
import { hash, randomFillSync } from 'node:crypto';
import { canonicalJson } from '@sluice/spec';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const pool = new Uint8Array(4096);
let poolOffset = pool.length;

function randomBytes10(): Uint8Array {
  if (poolOffset + 10 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 10);
  poolOffset += 10;
  return bytes;
}

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort by creation time
 * and index inserts stay local. Random bytes come from a pooled CSPRNG buffer (one syscall per ~400 ids).
 *
 * @example
 * uuidv7(); // '019ac1f2-7b3e-7c41-9d0a-5f1e2b3c4d5e'
 */
export function uuidv7(now: number = Date.now()): string {
  const r = randomBytes10();
  const ms = Math.floor(now);
  const hi = Math.floor(ms / 0x10000);
  const lo = ms % 0x10000;
  const t = hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(4, '0');
  return (
    `${t.slice(0, 8)}-${t.slice(8, 12)}-` +
    `7${HEX[r[0]!]!.slice(1)}${HEX[r[1]!]!}-` +
    `${HEX[(r[2]! & 0x3f) | 0x80]!}${HEX[r[3]!]!}-` +
    `${HEX[r[4]!]!}${HEX[r[5]!]!}${HEX[r[6]!]!}${HEX[r[7]!]!}${HEX[r[8]!]!}${HEX[r[9]!]!}`
  );
}

/** SHA-256 of a string (UTF-8), hex. */
export function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

/**
 * The canonical JSON of a value the database must store: JSON, and without the NUL character that
 * PostgreSQL's jsonb refuses. Throws a TypeError naming the problem otherwise.
 */
export function storableJson(value: unknown): string {
  const text = canonicalJson(value ?? null);
  if (/(^|[^\\])(\\\\)*\\u0000/.test(text)) {
    throw new TypeError('it contains a NUL character (\\u0000), which cannot be stored');
  }
  return text;
}

/**
 * The hash of a JSON value as events record it (sha256 of its canonical JSON), so that an audit can
 * tell whether a stored step output or run input is still what was committed.
 *
 * @example
 * contentHash({ n: 1 }) === contentHash(JSON.parse('{"n":1}')); // true
 */
export function contentHash(value: unknown): string {
  return sha256(storableJson(value));
}

/**
 * The idempotency key of one execution attempt of a step: sha256(runId:nodeId:attempt), hex.
 *
 * @example
 * idempotencyKey(runId, 'charge', 1); // the same after a crash and a re-claim of attempt 1
 */
export function idempotencyKey(runId: string, nodeId: string, attempt: number): string {
  return sha256(`${runId}:${nodeId}:${attempt}`);
}

/** `value` if it is JSON (as events must be), else its string form: log data never breaks a commit. */
export function asJson(value: unknown): unknown {
  try {
    canonicalJson(value);
    return value;
  } catch {
    return String(value);
  }
}
