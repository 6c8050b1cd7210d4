import { randomBytes } from 'node:crypto';
import { describe, expect } from 'vitest';
import { test } from '../testing';
import { createCredentialVault } from './credentials';
import { createDataSealer } from './data-sealer';
import { rotateMasterKey } from './rotation';

describe('master key rotation', () => {
  test('re-wraps every data key; values stay as they are; the old key alone no longer opens them', async ({
    db,
  }) => {
    const workspace = await db.prisma.workspace.create({ data: { name: 'r', slug: 'rotate' } });
    const user = await db.prisma.user.create({ data: { email: 'r@rotate.test', name: 'r' } });
    const workflow = await db.prisma.workflow.create({
      data: { workspaceId: workspace.id, name: 'w', ownerTeam: 't', draftGraph: {}, createdById: user.id },
    });
    const request = {
      workspaceId: workspace.id,
      workflowId: workflow.id,
      workflowVersionId: 'v',
      runId: 'r',
      nodeId: 'n',
      name: 'anthropic',
    };
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const oldVault = createCredentialVault({ prisma: db.prisma, masterKey: oldKey });
    const created = await oldVault.create(db.prisma, {
      workspaceId: workspace.id,
      name: 'anthropic',
      value: 'sk-ant-rotate',
      bindings: [{ workflowId: workflow.id, nodeIds: [] }],
      createdById: null,
    });
    const sealed = await createDataSealer({ prisma: db.prisma, masterKey: oldKey }).seal(workspace.id, {
      secret: 'data',
    });
    const before = await db.prisma.credential.findUniqueOrThrow({ where: { id: created.id } });

    const to = { version: 2, key: newKey };
    expect(await rotateMasterKey({ prisma: db.prisma, from: oldKey, to })).toEqual({
      credentials: 1,
      workspaceKeys: 1,
    });
    const after = await db.prisma.credential.findUniqueOrThrow({ where: { id: created.id } });
    expect(after.keyVersion).toBe(2);
    expect(Buffer.from(after.valueCt).equals(Buffer.from(before.valueCt))).toBe(true);
    expect(Buffer.from(after.keyCt).equals(Buffer.from(before.keyCt))).toBe(false);

    const ring = { current: to };
    expect(await createCredentialVault({ prisma: db.prisma, masterKey: ring }).reveal(request)).toBe(
      'sk-ant-rotate',
    );
    expect(await createDataSealer({ prisma: db.prisma, masterKey: ring }).open(workspace.id, sealed)).toEqual(
      { secret: 'data' },
    );
    await expect(oldVault.reveal(request)).rejects.toThrow('does not decrypt');
    await expect(
      createDataSealer({ prisma: db.prisma, masterKey: oldKey }).open(workspace.id, sealed),
    ).rejects.toThrow('is not configured');
    // Re-running finds nothing left to re-wrap.
    expect(await rotateMasterKey({ prisma: db.prisma, from: ring, to })).toEqual({
      credentials: 0,
      workspaceKeys: 0,
    });
  });
});
