// Encryption at rest for step data (DESIGN §5): inputs, outputs and event payloads of nodes classified
// confidential or restricted are sealed with the workspace's data key, an AES-256-GCM key of its
// own wrapped by the master key with the workspace id as associated data. Unwrapped keys are kept in
// memory: sealing is on the engine's hot path.
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client';
import {
  associatedData,
  type MasterKeyInput,
  type MasterKeyRing,
  masterKeyOf,
  newDataKey,
  open,
  seal,
  toKeyRing,
} from './envelope';

/** A sealed JSON value as stored in a Json column; `k` is the workspace data key's version. */
export const SealedJson = z.strictObject({
  $sealed: z.literal('v1'),
  k: z.number().int().min(1),
  iv: z.string().min(1).max(64),
  ct: z.string().max(64 * 1024 * 1024),
  tag: z.string().min(1).max(64),
});
export type SealedJson = z.infer<typeof SealedJson>;

export interface DataSealer {
  /** Encrypts `value` (anything JSON holds) with the workspace's newest data key. */
  seal(workspaceId: string, value: unknown): Promise<SealedJson>;
  /** Decrypts what `seal` made for the same workspace; throws for any other workspace or tampering. */
  open(workspaceId: string, sealed: SealedJson): Promise<unknown>;
  /** Whether a stored value is sealed (and so must be opened before use). */
  isSealed(value: unknown): value is SealedJson;
}

/** Associated data of a workspace data key (wrapped) and of what it seals. */
const wrapAad = (workspaceId: string, version: number) =>
  associatedData('workspace-key/v1', workspaceId, version);
const dataAad = (workspaceId: string, version: number) =>
  associatedData('workspace-data/v1', workspaceId, version);

/** The wrapped columns of a workspace data key under `ring`'s current master key. */
export function wrapWorkspaceKey(masterKey: Buffer, workspaceId: string, version: number, key: Buffer) {
  const wrapped = seal(masterKey, key, wrapAad(workspaceId, version));
  return { keyIv: wrapped.iv, keyCt: wrapped.ct, keyTag: wrapped.tag };
}

/** Unwraps a workspace_keys row. */
export function unwrapWorkspaceKey(
  ring: MasterKeyRing,
  row: {
    workspaceId: string;
    version: number;
    keyIv: Uint8Array;
    keyCt: Uint8Array;
    keyTag: Uint8Array;
    keyVersion: number;
  },
): Buffer {
  return open(
    masterKeyOf(ring, row.keyVersion),
    { iv: copy(row.keyIv), ct: copy(row.keyCt), tag: copy(row.keyTag) },
    wrapAad(row.workspaceId, row.version),
    `data key ${row.version} of workspace ${row.workspaceId}`,
  );
}

function copy(value: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(value.length));
  out.set(value);
  return out;
}

/**
 * @example
 * const sealer = createDataSealer({ prisma, masterKey: masterKey.key });
 * const stored = await sealer.seal(workspaceId, output);      // { $sealed: 'v1', k: 1, iv, ct, tag }
 * const output2 = await sealer.open(workspaceId, stored);
 */
export function createDataSealer(options: { prisma: PrismaClient; masterKey: MasterKeyInput }): DataSealer {
  const { prisma } = options;
  const ring = toKeyRing(options.masterKey);
  const keys = new Map<string, Promise<Buffer>>();
  const newest = new Map<string, Promise<{ version: number; key: Buffer }>>();

  const keyOf = (workspaceId: string, version: number): Promise<Buffer> => {
    const cacheKey = `${workspaceId}\u0000${version}`;
    let found = keys.get(cacheKey);
    if (!found) {
      found = prisma.workspaceKey
        .findUnique({ where: { workspaceId_version: { workspaceId, version } } })
        .then((row) => {
          if (!row) throw new Error(`workspace ${workspaceId} has no data key ${version}`);
          return unwrapWorkspaceKey(ring, row);
        });
      found.catch(() => keys.delete(cacheKey));
      keys.set(cacheKey, found);
    }
    return found;
  };

  const newestOf = (workspaceId: string) => {
    let found = newest.get(workspaceId);
    if (!found) {
      found = ensureKey(workspaceId);
      found.catch(() => newest.delete(workspaceId));
      newest.set(workspaceId, found);
    }
    return found;
  };

  /** The newest data key of the workspace, creating version 1 when there is none (race-safe). */
  async function ensureKey(workspaceId: string): Promise<{ version: number; key: Buffer }> {
    const existing = await prisma.workspaceKey.findFirst({
      where: { workspaceId },
      orderBy: { version: 'desc' },
      select: { version: true },
    });
    if (!existing) {
      const key = newDataKey();
      // Two processes may create it at once: the primary key keeps one, and both read that one back.
      await prisma.workspaceKey.createMany({
        data: [
          {
            workspaceId,
            version: 1,
            ...wrapWorkspaceKey(ring.current.key, workspaceId, 1, key),
            keyVersion: ring.current.version,
          },
        ],
        skipDuplicates: true,
      });
      key.fill(0);
    }
    const version = existing?.version ?? 1;
    return { version, key: await keyOf(workspaceId, version) };
  }

  return {
    async seal(workspaceId, value) {
      const text = JSON.stringify(value);
      if (text === undefined) throw new TypeError('only JSON values can be sealed');
      const { version, key } = await newestOf(workspaceId);
      const sealed = seal(key, Buffer.from(text, 'utf8'), dataAad(workspaceId, version));
      return {
        $sealed: 'v1',
        k: version,
        iv: Buffer.from(sealed.iv).toString('base64'),
        ct: Buffer.from(sealed.ct).toString('base64'),
        tag: Buffer.from(sealed.tag).toString('base64'),
      };
    },

    async open(workspaceId, sealed) {
      const parsed = SealedJson.parse(sealed);
      const key = await keyOf(workspaceId, parsed.k);
      const plaintext = open(
        key,
        {
          iv: copy(Buffer.from(parsed.iv, 'base64')),
          ct: copy(Buffer.from(parsed.ct, 'base64')),
          tag: copy(Buffer.from(parsed.tag, 'base64')),
        },
        dataAad(workspaceId, parsed.k),
        `sealed data of workspace ${workspaceId}`,
      );
      return JSON.parse(plaintext.toString('utf8'));
    },

    isSealed(value): value is SealedJson {
      return SealedJson.safeParse(value).success;
    },
  };
}
