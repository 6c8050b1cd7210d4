// AES-256-GCM envelopes: the one place the vault touches node:crypto. A data key encrypts a value;
// the master key wraps the data key. Both carry associated data naming what they belong to, so a
// ciphertext moved to another row (another workspace, another credential id) fails to decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One AES-256-GCM ciphertext: 12-byte IV, ciphertext, 16-byte tag. */
export interface Sealed {
  iv: Uint8Array<ArrayBuffer>;
  ct: Uint8Array<ArrayBuffer>;
  tag: Uint8Array<ArrayBuffer>;
}

/** A master key and the version rows record it by. */
export interface MasterKeyVersion {
  version: number;
  key: Buffer;
}

/**
 * The master keys the vault knows: `current` wraps new data keys; `previous` still unwraps rows that
 * were not yet re-wrapped (see `rotateMasterKey`).
 */
export interface MasterKeyRing {
  current: MasterKeyVersion;
  previous?: readonly MasterKeyVersion[];
}

/** A bare 32-byte key (version 1) or a ring. */
export type MasterKeyInput = Buffer | MasterKeyRing;

/** Thrown when a ciphertext does not authenticate: wrong key, wrong associated data, or tampering. */
export class VaultDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultDecryptError';
  }
}

const KEY_BYTES = 32;

/** The ring for `input`, checking every key's length. */
export function toKeyRing(input: MasterKeyInput): MasterKeyRing {
  const ring: MasterKeyRing = Buffer.isBuffer(input) ? { current: { version: 1, key: input } } : input;
  for (const { version, key } of [ring.current, ...(ring.previous ?? [])]) {
    if (key.length !== KEY_BYTES) throw new Error(`master key version ${version} must be 32 bytes`);
    if (!Number.isInteger(version) || version < 1)
      throw new Error(`master key version ${version} must be a positive integer`);
  }
  return ring;
}

/** The master key of `version`, or an error saying which version is missing. */
export function masterKeyOf(ring: MasterKeyRing, version: number): Buffer {
  const found = [ring.current, ...(ring.previous ?? [])].find((k) => k.version === version);
  if (!found) throw new VaultDecryptError(`master key version ${version} is not configured`);
  return found.key;
}

/** A fresh random 256-bit data key. */
export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Associated data naming what a ciphertext belongs to; a JSON array, so no two parts can blur. */
export function associatedData(...parts: Array<string | number>): Buffer {
  return Buffer.from(JSON.stringify(parts), 'utf8');
}

/**
 * Encrypts `plaintext` under `key` with associated data `aad`.
 *
 * @example
 * const sealed = seal(dataKey, Buffer.from('sk-…'), associatedData('credential', workspaceId, id));
 */
export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: copy(iv), ct: copy(ct), tag: copy(cipher.getAuthTag()) };
}

/** Decrypts what `seal` made; throws {@link VaultDecryptError} when it does not authenticate. */
export function open(key: Buffer, sealed: Sealed, aad: Buffer, what: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv));
    decipher.setAAD(aad);
    decipher.setAuthTag(Buffer.from(sealed.tag));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct)), decipher.final()]);
  } catch {
    throw new VaultDecryptError(`${what} does not decrypt: wrong key, moved row, or tampered data`);
  }
}

/** Prisma's Bytes columns want a Uint8Array over a plain ArrayBuffer. */
function copy(buffer: Buffer): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(buffer.length));
  out.set(buffer);
  return out;
}
