// The credentials vault (DESIGN §5): each credential's value is encrypted with a data key of its own,
// wrapped by the master key; the workspace and credential id are the associated data of both. Only
// metadata leaves this module, except through `reveal` (an executor's one call, bound to its
// workflow and node) and `verifyWithCredential` (a webhook checks its HMAC inside the vault); every reveal and every
// refusal is a workspace audit event, and every refusal an alert.
import { randomUUID } from 'node:crypto';
import { type CredentialRequest, CredentialRefusedError, type CredentialVault } from '@sluice/engine';
import { z } from 'zod';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { appendWorkspaceEvents } from '../workspace-events';
import {
  associatedData,
  type MasterKeyInput,
  type MasterKeyRing,
  masterKeyOf,
  newDataKey,
  open,
  seal,
  toKeyRing,
  VaultDecryptError,
} from './envelope';
import { recordRefusal } from './records';

/** A workflow allowed to use a credential; with `nodeIds`, only those of its nodes. */
export const CredentialBinding = z.strictObject({
  workflowId: z.string().min(1).max(64),
  nodeIds: z
    .array(z.string().min(1).max(128))
    .max(100)
    .refine((ids) => new Set(ids).size === ids.length, 'a node is listed twice')
    .default([]),
});
export type CredentialBinding = z.infer<typeof CredentialBinding>;

/** The bindings of one credential: one entry per workflow. */
export const CredentialBindings = z
  .array(CredentialBinding)
  .max(100)
  .refine(
    (list) => new Set(list.map((b) => b.workflowId)).size === list.length,
    'a workflow is listed twice',
  );

/** A credential's name as node configs and triggers refer to it. */
export const CredentialName = z
  .string()
  .min(1)
  .max(100)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'letters, digits, ".", "_" and "-", starting with a letter or digit',
  );

/** A secret value: write-only, up to 16 KiB. */
export const CredentialValue = z
  .string()
  .min(1)
  .max(16 * 1024);

/** Everything the vault tells about a credential: never its value, nor any of its ciphertext. */
export interface CredentialMetadata {
  id: string;
  workspaceId: string;
  name: string;
  description: string;
  bindings: CredentialBinding[];
  /** The master key version its data key is wrapped by. */
  keyVersion: number;
  /** 1, then one more per rotation of the value. */
  valueVersion: number;
  createdById: string | null;
  createdAt: Date;
  updatedAt: Date;
  rotatedAt: Date | null;
  lastUsedAt: Date | null;
}

type Db = Prisma.TransactionClient;

const metadataSelect = {
  id: true,
  workspaceId: true,
  name: true,
  description: true,
  keyVersion: true,
  valueVersion: true,
  createdById: true,
  createdAt: true,
  updatedAt: true,
  rotatedAt: true,
  lastUsedAt: true,
  bindings: { select: { workflowId: true, nodeIds: true }, orderBy: { workflowId: 'asc' } },
} as const satisfies Prisma.CredentialSelect;

/** A webhook trigger's request for its HMAC secret (no run exists yet). */
export interface TriggerCredentialRequest {
  workspaceId: string;
  workflowId: string;
  workflowVersionId: string;
  /** The trigger node's id, checked against the binding's nodes like an executor's. */
  nodeId: string;
  name: string;
}

/** The vault: the engine's {@link CredentialVault} plus what the API needs to manage credentials. */
export interface CredentialVaultService extends CredentialVault {
  create(
    db: Db,
    input: {
      workspaceId: string;
      name: string;
      description?: string;
      value: string;
      bindings: readonly CredentialBinding[];
      createdById: string | null;
    },
  ): Promise<CredentialMetadata>;
  /** A new value under a new data key; null when there is no such credential in the workspace. */
  rotateValue(
    db: Db,
    input: { workspaceId: string; id: string; value: string },
  ): Promise<CredentialMetadata | null>;
  setBindings(
    db: Db,
    input: { workspaceId: string; id: string; bindings: readonly CredentialBinding[] },
  ): Promise<CredentialMetadata | null>;
  setDescription(
    db: Db,
    input: { workspaceId: string; id: string; description: string },
  ): Promise<CredentialMetadata | null>;
  remove(db: Db, input: { workspaceId: string; id: string }): Promise<CredentialMetadata | null>;
  list(db: Db, workspaceId: string): Promise<CredentialMetadata[]>;
  get(db: Db, workspaceId: string, id: string): Promise<CredentialMetadata | null>;
  /**
   * Runs `check` (e.g. an HMAC comparison) with the trigger's secret inside the vault, so that the
   * secret never leaves it. The use is audited only when `check` passes: an unsigned request leaves
   * no trace in the chain, a refused credential (not bound) an event and an alert.
   */
  verifyWithCredential(
    request: TriggerCredentialRequest,
    check: (secret: string) => boolean,
  ): Promise<boolean>;
}

/** Associated data of a credential's wrapped data key and of its value. */
const keyAad = (workspaceId: string, id: string) => associatedData('credential-key/v1', workspaceId, id);
const valueAad = (workspaceId: string, id: string) => associatedData('credential-value/v1', workspaceId, id);

/** The encrypted columns of a credential holding `value`, under a fresh data key. */
export function encryptCredential(ring: MasterKeyRing, workspaceId: string, id: string, value: string) {
  const dataKey = newDataKey();
  const wrapped = seal(ring.current.key, dataKey, keyAad(workspaceId, id));
  const sealed = seal(dataKey, Buffer.from(value, 'utf8'), valueAad(workspaceId, id));
  dataKey.fill(0);
  return {
    valueIv: sealed.iv,
    valueCt: sealed.ct,
    valueTag: sealed.tag,
    keyIv: wrapped.iv,
    keyCt: wrapped.ct,
    keyTag: wrapped.tag,
    keyVersion: ring.current.version,
  };
}

/** A credential row's encrypted columns, as stored. */
export interface EncryptedCredentialRow {
  id: string;
  workspaceId: string;
  valueIv: Uint8Array;
  valueCt: Uint8Array;
  valueTag: Uint8Array;
  keyIv: Uint8Array;
  keyCt: Uint8Array;
  keyTag: Uint8Array;
  keyVersion: number;
}

/** The credential's data key, unwrapped. Throws {@link VaultDecryptError} for a moved or altered row. */
export function unwrapCredentialKey(
  ring: MasterKeyRing,
  row: Pick<EncryptedCredentialRow, 'id' | 'workspaceId' | 'keyIv' | 'keyCt' | 'keyTag' | 'keyVersion'>,
): Buffer {
  return open(
    masterKeyOf(ring, row.keyVersion),
    { iv: bytes(row.keyIv), ct: bytes(row.keyCt), tag: bytes(row.keyTag) },
    keyAad(row.workspaceId, row.id),
    `the data key of credential ${row.id}`,
  );
}

/** The plaintext of a credential row. Throws {@link VaultDecryptError} for a moved or altered row. */
export function decryptCredential(ring: MasterKeyRing, row: EncryptedCredentialRow): string {
  const dataKey = unwrapCredentialKey(ring, row);
  try {
    return open(
      dataKey,
      { iv: bytes(row.valueIv), ct: bytes(row.valueCt), tag: bytes(row.valueTag) },
      valueAad(row.workspaceId, row.id),
      `the value of credential ${row.id}`,
    ).toString('utf8');
  } finally {
    dataKey.fill(0);
  }
}

/** Wraps `key` (a data key) for a credential row under `masterKey`. */
export function wrapCredentialKey(masterKey: Buffer, row: { workspaceId: string; id: string }, key: Buffer) {
  const wrapped = seal(masterKey, key, keyAad(row.workspaceId, row.id));
  return { keyIv: wrapped.iv, keyCt: wrapped.ct, keyTag: wrapped.tag };
}

function bytes(value: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(value.length));
  out.set(value);
  return out;
}

type MetadataRow = Prisma.CredentialGetPayload<{ select: typeof metadataSelect }>;
const toMetadata = (row: MetadataRow): CredentialMetadata => ({ ...row, bindings: row.bindings });

/**
 * The credentials vault over `prisma`, with `masterKey` (a 32-byte key, version 1, or a ring while
 * a rotation is under way).
 *
 * @example
 * const vault = createCredentialVault({ prisma: db.prisma, masterKey: masterKey.key });
 * const engine = createEngine({ store, executors, vault });
 */
export function createCredentialVault(options: {
  prisma: PrismaClient;
  masterKey: MasterKeyInput;
}): CredentialVaultService {
  const { prisma } = options;
  const ring = toKeyRing(options.masterKey);

  type AnyRequest = Omit<CredentialRequest, 'runId'> & { runId?: string };
  type Found = NonNullable<Awaited<ReturnType<typeof findByName>>>;

  const findByName = (request: AnyRequest) =>
    prisma.credential.findUnique({
      where: { workspaceId_name: { workspaceId: request.workspaceId, name: request.name } },
      include: { bindings: true },
    });

  /** The row and its plaintext when the request is bound; otherwise records the refusal and throws. */
  async function resolve(request: AnyRequest): Promise<{ row: Found; value: string }> {
    const refuse = async (reason: string, credentialId: string | null): Promise<never> => {
      await recordRefusal(prisma, request.workspaceId, refusalDetails(request, reason, credentialId), {
        ...(request.runId ? { runId: request.runId } : {}),
        nodeId: request.nodeId,
      });
      throw new CredentialRefusedError(`credential "${request.name}" refused: ${reason}`);
    };
    const row = await findByName(request);
    if (!row) return refuse('no credential of this name in the workspace', null);
    const binding = row.bindings.find((b) => b.workflowId === request.workflowId);
    if (!binding) return refuse('not bound to this workflow', row.id);
    if (binding.nodeIds.length > 0 && !binding.nodeIds.includes(request.nodeId))
      return refuse(`not bound to node ${request.nodeId}`, row.id);
    try {
      return { row, value: decryptCredential(ring, row) };
    } catch (error) {
      if (error instanceof VaultDecryptError) return refuse('its stored value does not decrypt', row.id);
      throw error;
    }
  }

  /** A `credential.used` event (never the value) and the credential's last use. */
  async function recordUse(row: Found, request: AnyRequest): Promise<void> {
    await prisma.$transaction(async (tx) => {
      await tx.credential.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
      await appendWorkspaceEvents(tx, request.workspaceId, [
        {
          type: 'credential.used',
          payload: {
            credentialId: row.id,
            name: row.name,
            valueVersion: row.valueVersion,
            workflowId: request.workflowId,
            workflowVersionId: request.workflowVersionId,
            runId: request.runId ?? null,
            nodeId: request.nodeId,
          },
        },
      ]);
    });
  }

  async function findMetadata(db: Db, workspaceId: string, id: string) {
    const row = await db.credential.findFirst({ where: { id, workspaceId }, select: metadataSelect });
    return row ? toMetadata(row) : null;
  }

  return {
    async reveal(request) {
      const { row, value } = await resolve(request);
      await recordUse(row, request);
      return value;
    },

    async verifyWithCredential(request, check) {
      const { row, value } = await resolve(request);
      if (!check(value)) return false;
      await recordUse(row, request);
      return true;
    },

    async refused(request, reason) {
      const row = await findByName(request);
      await recordRefusal(prisma, request.workspaceId, refusalDetails(request, reason, row?.id ?? null), {
        runId: request.runId,
        nodeId: request.nodeId,
      });
    },

    async create(db, input) {
      const name = CredentialName.parse(input.name);
      const value = CredentialValue.parse(input.value);
      const bindings = CredentialBindings.parse(input.bindings);
      const id = randomUUID();
      const row = await db.credential.create({
        data: {
          id,
          workspaceId: input.workspaceId,
          name,
          description: input.description ?? '',
          ...encryptCredential(ring, input.workspaceId, id, value),
          createdById: input.createdById,
          bindings: { create: bindings.map((b) => ({ workflowId: b.workflowId, nodeIds: b.nodeIds })) },
        },
        select: metadataSelect,
      });
      return toMetadata(row);
    },

    async rotateValue(db, input) {
      const value = CredentialValue.parse(input.value);
      const found = await db.credential.findFirst({
        where: { id: input.id, workspaceId: input.workspaceId },
        select: { id: true },
      });
      if (!found) return null;
      const row = await db.credential.update({
        where: { id: found.id },
        data: {
          ...encryptCredential(ring, input.workspaceId, found.id, value),
          valueVersion: { increment: 1 },
          rotatedAt: new Date(),
        },
        select: metadataSelect,
      });
      return toMetadata(row);
    },

    async setBindings(db, input) {
      const bindings = CredentialBindings.parse(input.bindings);
      const found = await findMetadata(db, input.workspaceId, input.id);
      if (!found) return null;
      await db.credentialBinding.deleteMany({ where: { credentialId: found.id } });
      await db.credentialBinding.createMany({
        data: bindings.map((b) => ({ credentialId: found.id, workflowId: b.workflowId, nodeIds: b.nodeIds })),
      });
      await db.credential.update({ where: { id: found.id }, data: { updatedAt: new Date() } });
      return findMetadata(db, input.workspaceId, input.id);
    },

    async setDescription(db, input) {
      const found = await findMetadata(db, input.workspaceId, input.id);
      if (!found) return null;
      const row = await db.credential.update({
        where: { id: found.id },
        data: { description: input.description },
        select: metadataSelect,
      });
      return toMetadata(row);
    },

    async remove(db, input) {
      const found = await findMetadata(db, input.workspaceId, input.id);
      if (!found) return null;
      await db.credential.delete({ where: { id: found.id } });
      return found;
    },

    async list(db, workspaceId) {
      const rows = await db.credential.findMany({
        where: { workspaceId },
        orderBy: [{ name: 'asc' }],
        select: metadataSelect,
      });
      return rows.map(toMetadata);
    },

    get: findMetadata,
  };
}

function refusalDetails(
  request: TriggerCredentialRequest & { runId?: string },
  reason: string,
  credentialId: string | null,
): Record<string, unknown> & { reason: string; name: string } {
  return {
    name: request.name,
    credentialId,
    reason,
    workflowId: request.workflowId,
    workflowVersionId: request.workflowVersionId,
    runId: request.runId ?? null,
    nodeId: request.nodeId,
  };
}
