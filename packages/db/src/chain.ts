// The hash-chain rule of the event log (DESIGN §4), in one place so that the engine, the audit
// verifier and the seed all hash alike:
//
//   hash = sha256_hex( prevHash ‖ canonicalJson(event) ),  prevHash of the first event = 64 zeros
//
// where `event` is { workspaceId, runId, seq, type, payload, actorId, createdAt (ISO 8601, ms) }
// and canonical JSON is JSON with object keys sorted by UTF-16 code units and no whitespace
// (RFC 8785 for the values we store). The spec package will own canonical JSON later; until then
// this file is the reference.
import { hash } from 'node:crypto';

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
  // A tree that is already canonical (keys in order, JSON values only) is what JSON.stringify
  // writes: checking that is several times cheaper than writing it out in JavaScript.
  if (inCanonicalOrder(value)) return JSON.stringify(value);
  const parts: string[] = [];
  try {
    fast(value, parts);
  } catch (error) {
    // Only to name where: the careful walk throws the same refusal with the path in its message.
    if (error instanceof NotJson) return write(value, '$');
    throw error;
  }
  return parts.join('');
}

class NotJson extends Error {}

function inCanonicalOrder(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!inCanonicalOrder(item)) return false;
    return true;
  }
  if (!isPlainObject(value)) return false;
  let previous: string | undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    if (previous !== undefined && compareCodeUnits(previous, key) >= 0) return false;
    if (!inCanonicalOrder(value[key])) return false;
    previous = key;
  }
  return true;
}

/** The same rule as `write`, without building a path per value (the engine hashes a lot of events). */
function fast(value: unknown, out: string[]): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new NotJson();
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new NotJson();
  }
  if (value === null) {
    out.push('null');
  } else if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      fast(value[i], out);
    }
    out.push(']');
  } else if (isPlainObject(value)) {
    const keys = Object.keys(value);
    // Objects built in key order (as the engine builds its events) skip the sort.
    for (let i = 1; i < keys.length; i++) {
      if (compareCodeUnits(keys[i - 1] ?? '', keys[i] ?? '') > 0) {
        keys.sort(compareCodeUnits);
        break;
      }
    }
    out.push('{');
    let first = true;
    for (const key of keys) {
      const member = value[key];
      if (member === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(key), ':');
      fast(member, out);
    }
    out.push('}');
  } else {
    throw new NotJson();
  }
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
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
  return hashedEvent(prevHash, event).hash;
}

/**
 * The hash of `event` following `prevHash`, and the canonical JSON of its payload, which the hash
 * covers: the store keeps that text rather than serialising the payload a second time.
 */
export function hashedEvent(prevHash: string, event: ChainEvent): { hash: string; payloadJson: string } {
  const fields = {
    actorId: event.actorId,
    createdAt: event.createdAt.toISOString(),
    payload: event.payload,
    runId: event.runId,
    seq: event.seq,
    type: event.type,
    workspaceId: event.workspaceId,
  };
  if (fields.payload === undefined || fields.actorId === undefined || fields.runId === undefined) {
    // canonicalJson leaves undefined members out; spelled out below, they would read `undefined`.
    return { hash: sha256Hex(prevHash + canonicalJson(fields)), payloadJson: 'null' };
  }
  const payloadJson = canonicalJson(fields.payload);
  // canonicalJson(fields), its keys already in order, with the payload's canonical text spliced in.
  const body =
    `{"actorId":${JSON.stringify(fields.actorId)},"createdAt":${JSON.stringify(fields.createdAt)},` +
    `"payload":${payloadJson},"runId":${JSON.stringify(fields.runId)},"seq":${canonicalJson(fields.seq)},` +
    `"type":${JSON.stringify(fields.type)},"workspaceId":${JSON.stringify(fields.workspaceId)}}`;
  return { hash: sha256Hex(prevHash + body), payloadJson };
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
