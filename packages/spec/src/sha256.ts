import { withCanonicalJsonBytes } from './canonical-bytes.js';

// Round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const encoder = new TextEncoder();

/**
 * SHA-256 of a string (UTF-8) or bytes, as lowercase hex. Pure and synchronous, so the compiler can
 * hash in the browser without WebCrypto's promises.
 *
 * @example
 * sha256Hex('abc'); // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 */
export function sha256Hex(input: string | Uint8Array): string {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  const h = sha256Words(bytes);
  let hex = '';
  for (let i = 0; i < 8; i++) hex += ((h[i] ?? 0) >>> 0).toString(16).padStart(8, '0');
  return hex;
}

/** A synchronous SHA-256 (bytes → lowercase hex); the pure one here, or a native one on the server. */
export type Sha256 = (bytes: Uint8Array) => string;

/**
 * The content hash of a spec (or any JSON value): SHA-256 of its canonical JSON. A server may pass
 * its platform's SHA-256 (node:crypto), which gives the same hash several times faster.
 *
 * @example
 * specHash(spec) === specHash(structuredClone(spec)); // true
 */
export function specHash(value: unknown, sha256: Sha256 = sha256Hex): string {
  return withCanonicalJsonBytes(value, sha256);
}

const W = new Int32Array(64);

// Typed-array reads below use `!`: every index is in range by construction, and `?? 0` guards
// halved the throughput of this loop.
function sha256Words(bytes: Uint8Array): Int32Array {
  const length = bytes.length;
  // The message, 0x80, zero padding and the 64-bit big-endian bit length, in 64-byte blocks. Only
  // the last one or two blocks are copied; full blocks are read from the input directly.
  const fullBlocks = Math.floor(length / 64);
  const tailLength = length - fullBlocks * 64;
  const tail = new Uint8Array(tailLength + 9 > 64 ? 128 : 64);
  tail.set(bytes.subarray(fullBlocks * 64));
  tail[tailLength] = 0x80;
  const bitLength = length * 8;
  const end = tail.length;
  const high = Math.floor(bitLength / 0x100000000);
  tail[end - 8] = high >>> 24;
  tail[end - 7] = (high >>> 16) & 0xff;
  tail[end - 6] = (high >>> 8) & 0xff;
  tail[end - 5] = high & 0xff;
  tail[end - 4] = (bitLength >>> 24) & 0xff;
  tail[end - 3] = (bitLength >>> 16) & 0xff;
  tail[end - 2] = (bitLength >>> 8) & 0xff;
  tail[end - 1] = bitLength & 0xff;

  const h = new Int32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  for (let offset = 0; offset < fullBlocks * 64; offset += 64) compress(h, bytes, offset);
  for (let offset = 0; offset < end; offset += 64) compress(h, tail, offset);
  return h;
}

function compress(h: Int32Array, data: Uint8Array, offset: number): void {
  for (let i = 0, j = offset; i < 16; i++, j += 4) {
    W[i] = (data[j]! << 24) | (data[j + 1]! << 16) | (data[j + 2]! << 8) | data[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15]!;
    const b = W[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  let e = h[4]!;
  let f = h[5]!;
  let g = h[6]!;
  let hh = h[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (hh + S1 + ch + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + hh) | 0;
}
