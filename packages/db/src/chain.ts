// The hash-chain rule of the event log (DESIGN §4), in one place so that the engine, the audit
// verifier and the seed all hash alike:
//
//   hash = sha256_hex( prevHash ‖ canonicalJson(event) ),  prevHash of the first event = 64 zeros
//
// where `event` is { workspaceId, runId, seq, type, payload, actorId, createdAt (ISO 8601, ms) }
// and canonical JSON is JSON with object keys sorted by UTF-16 code units and no whitespace
// (RFC 8785 for the values we store). The spec package will own canonical JSON later; until then
// this file is the reference.
import { createHash } from 'node:crypto';

/** The `prevHash` of the first event of every chain. */
export const genesisHash = '0'.repeat(64);

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Canonical JSON of a JSON-like value. Object properties whose value is `undefined` are left out (as
 * `JSON.stringify` does); anything JSON cannot represent throws, rather than hashing something else.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, at: string): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new TypeError(`canonicalJson: ${at} is ${value}, which JSON cannot represent`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item, i) => write(item, `${at}[${i}]`)).join(',')}]`;
  if (typeof value === 'object' && isPlainObject(value)) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${write(v, `${at}.${k}`)}`).join(',')}}`;
  }
  const kind =
    value === undefined ? 'undefined' : typeof value === 'object' ? value.constructor.name : typeof value;
  throw new TypeError(`canonicalJson: ${at} is ${kind}, which is not JSON`);
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The fields of an event that its hash covers. */
export interface ChainEvent {
  workspaceId: string;
  /** Null for events of the workspace's own chain. */
  runId: string | null;
  seq: number;
  type: string;
  payload: unknown;
  actorId: string | null;
  createdAt: Date;
}

/**
 * The hash of `event` following `prevHash`.
 *
 * @example
 * const first = eventHash(genesisHash, { workspaceId, runId: null, seq: 1, type: 'workspace.seeded',
 *   payload: {}, actorId: null, createdAt: new Date() });
 */
export function eventHash(prevHash: string, event: ChainEvent): string {
  const body = canonicalJson({
    workspaceId: event.workspaceId,
    runId: event.runId,
    seq: event.seq,
    type: event.type,
    payload: event.payload,
    actorId: event.actorId,
    createdAt: event.createdAt.toISOString(),
  });
  return sha256Hex(prevHash + body);
}

export type ChainVerdict = { ok: true; length: number } | { ok: false; seq: number; reason: string };

/**
 * Recomputes a chain, given its events in sequence order: sequence numbers run 1, 2, 3…, each
 * `prevHash` is the previous `hash` (64 zeros first) and each `hash` matches its content.
 *
 * @example
 * const verdict = verifyChain(await prisma.event.findMany({ where: { runId }, orderBy: { seq: 'asc' } }));
 * if (!verdict.ok) console.error(`chain broken at ${verdict.seq}: ${verdict.reason}`);
 */
export function verifyChain(
  events: ReadonlyArray<ChainEvent & { prevHash: string; hash: string }>,
): ChainVerdict {
  let prev = genesisHash;
  for (const [index, event] of events.entries()) {
    const seq = index + 1;
    if (event.seq !== seq)
      return { ok: false, seq, reason: `expected sequence number ${seq}, found ${event.seq}` };
    if (event.prevHash !== prev)
      return { ok: false, seq, reason: 'prevHash does not match the previous hash' };
    if (eventHash(prev, event) !== event.hash)
      return { ok: false, seq, reason: 'hash does not match the content' };
    prev = event.hash;
  }
  return { ok: true, length: events.length };
}
