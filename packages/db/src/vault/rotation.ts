// Master key rotation: re-wraps every data key (credentials' and workspaces') under a new master
// key. Values and sealed data are untouched: only the small wrapped keys change, one row at a time,
// each update conditional on the version it read, so a rotation can be re-run after an interruption.
import type { PrismaClient } from '../generated/prisma/client';
import { unwrapCredentialKey, wrapCredentialKey } from './credentials';
import { unwrapWorkspaceKey, wrapWorkspaceKey } from './data-sealer';
import { type MasterKeyInput, type MasterKeyVersion, toKeyRing } from './envelope';

export interface RotationReport {
  credentials: number;
  workspaceKeys: number;
}

/**
 * Re-wraps every data key not yet under `to`. `from` must hold every master key version still in
 * use (the ring of the running servers); afterwards configure `to` as the current key.
 *
 * @example
 * await rotateMasterKey({ prisma, from: oldKey, to: { version: 2, key: newKey } });
 */
export async function rotateMasterKey(options: {
  prisma: PrismaClient;
  from: MasterKeyInput;
  to: MasterKeyVersion;
}): Promise<RotationReport> {
  const { prisma, to } = options;
  const ring = toKeyRing(options.from);
  toKeyRing({ current: to });
  const report: RotationReport = { credentials: 0, workspaceKeys: 0 };

  const credentials = await prisma.credential.findMany({
    where: { keyVersion: { not: to.version } },
    select: { id: true, workspaceId: true, keyIv: true, keyCt: true, keyTag: true, keyVersion: true },
  });
  for (const row of credentials) {
    const dataKey = unwrapCredentialKey(ring, row);
    const { count } = await prisma.credential.updateMany({
      where: { id: row.id, keyVersion: row.keyVersion },
      data: { ...wrapCredentialKey(to.key, row, dataKey), keyVersion: to.version },
    });
    dataKey.fill(0);
    report.credentials += count;
  }

  const workspaceKeys = await prisma.workspaceKey.findMany({ where: { keyVersion: { not: to.version } } });
  for (const row of workspaceKeys) {
    const dataKey = unwrapWorkspaceKey(ring, row);
    const { count } = await prisma.workspaceKey.updateMany({
      where: { workspaceId: row.workspaceId, version: row.version, keyVersion: row.keyVersion },
      data: { ...wrapWorkspaceKey(to.key, row.workspaceId, row.version, dataKey), keyVersion: to.version },
    });
    dataKey.fill(0);
    report.workspaceKeys += count;
  }
  return report;
}
