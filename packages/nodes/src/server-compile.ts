// Server-side compilation: the same compiler, with node:crypto's SHA-256 for the content hash
// (several times faster than the pure one the browser uses; the hash is identical).
import { createHash } from 'node:crypto';
import { type CompileResult, compileDocument, type CompilerOptions } from '@sluice/spec';
import { registry } from './registry.js';

export const nativeSha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Compiles an editor graph or a sluice/v1 spec with every node kind, hashing natively. */
export function compileOnServer(doc: unknown, options: Omit<CompilerOptions, 'sha256'> = {}): CompileResult {
  return compileDocument(doc, registry, { ...options, sha256: nativeSha256 });
}
