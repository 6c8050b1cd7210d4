import { isRecord } from './guards.js';

const MAX_DEPTH = 1000;

/**
 * Writes canonical JSON straight into UTF-8 bytes (the same text as `canonicalJson`), so hashing a
 * large spec needs neither a giant intermediate string nor a separate encoding pass. One writer is
 * kept between calls: its buffer only grows.
 */
class ByteWriter {
  buffer = new Uint8Array(1 << 16);
  length = 0;

  reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  /** ASCII text (digits, literals), one byte per character. */
  ascii(text: string): void {
    this.reserve(text.length);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.length = at;
  }

  byte(code: number): void {
    if (this.length >= this.buffer.length) this.reserve(1);
    this.buffer[this.length++] = code;
  }

  /** A JSON string: printable ASCII is copied as it is; anything else goes through JSON.stringify. */
  string(text: string): void {
    this.reserve(text.length + 2);
    const buffer = this.buffer;
    const start = this.length;
    let at = start;
    buffer[at++] = 0x22;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) {
        this.length = start;
        this.utf8(JSON.stringify(text));
        return;
      }
      buffer[at++] = code;
    }
    buffer[at++] = 0x22;
    this.length = at;
  }

  /** Well-formed text as UTF-8 (JSON.stringify has escaped lone surrogates). */
  utf8(text: string): void {
    this.reserve(text.length * 3);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code < 0x80) {
        buffer[at++] = code;
      } else if (code < 0x800) {
        buffer[at++] = 0xc0 | (code >> 6);
        buffer[at++] = 0x80 | (code & 0x3f);
      } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        const low = text.charCodeAt(++i);
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        buffer[at++] = 0xf0 | (code >> 18);
        buffer[at++] = 0x80 | ((code >> 12) & 0x3f);
        buffer[at++] = 0x80 | ((code >> 6) & 0x3f);
        buffer[at++] = 0x80 | (code & 0x3f);
      } else {
        buffer[at++] = 0xe0 | (code >> 12);
        buffer[at++] = 0x80 | ((code >> 6) & 0x3f);
        buffer[at++] = 0x80 | (code & 0x3f);
      }
    }
    this.length = at;
  }
}

const shared = new ByteWriter();

/**
 * Calls `use` with the canonical JSON bytes of `value`, written into a buffer that is reused by the
 * next call (so `use` must not keep it).
 */
export function withCanonicalJsonBytes<T>(value: unknown, use: (bytes: Uint8Array) => T): T {
  shared.length = 0;
  write(value, shared, 0);
  return use(shared.buffer.subarray(0, shared.length));
}

/**
 * The UTF-8 bytes of `canonicalJson(value)`, written directly.
 *
 * @example
 * new TextDecoder().decode(canonicalJsonBytes({ b: 1, a: 2 })); // '{"a":2,"b":1}'
 */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return withCanonicalJsonBytes(value, (bytes) => bytes.slice());
}

function write(value: unknown, out: ByteWriter, depth: number): void {
  if (typeof value === 'string') return out.string(value);
  if (typeof value === 'object') {
    if (value === null) return out.ascii('null');
    if (depth > MAX_DEPTH)
      throw new TypeError('canonicalJson: the value nests too deeply (or contains a cycle)');
    if (Array.isArray(value)) return writeArray(value, out, depth);
    if (!isRecord(value)) throw new TypeError('canonicalJson: not a JSON value');
    return writeObject(value, out, depth);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not JSON`);
    // String(n) and JSON.stringify(n) agree for finite numbers (-0 included).
    return out.ascii(String(value));
  }
  if (typeof value === 'boolean') return out.ascii(value ? 'true' : 'false');
  throw new TypeError(`canonicalJson: a ${typeof value} is not JSON`);
}

function writeArray(value: readonly unknown[], out: ByteWriter, depth: number): void {
  out.byte(0x5b);
  for (let i = 0; i < value.length; i++) {
    if (i > 0) out.byte(0x2c);
    const item: unknown = value[i];
    if (item === undefined) out.ascii('null');
    else write(item, out, depth + 1);
  }
  out.byte(0x5d);
}

function writeObject(value: Record<string, unknown>, out: ByteWriter, depth: number): void {
  const keys = Object.keys(value);
  if (!sorted(keys)) keys.sort(compareCodeUnits);
  out.byte(0x7b);
  let first = true;
  for (const key of keys) {
    const member = value[key];
    if (member === undefined) continue;
    if (!first) out.byte(0x2c);
    first = false;
    out.string(key);
    out.byte(0x3a);
    write(member, out, depth + 1);
  }
  out.byte(0x7d);
}

function sorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) {
    const previous = keys[i - 1];
    const current = keys[i];
    if (previous !== undefined && current !== undefined && previous > current) return false;
  }
  return true;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
