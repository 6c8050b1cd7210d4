import { randomBytes, randomUUID } from 'node:crypto';
import { type CredentialRequest, CredentialRefusedError } from '@sluice/engine';
import { describe, expect } from 'vitest';
import type { PrismaClient } from '../generated/prisma/client';
import { test } from '../testing';
import { verifyWorkspaceChain } from '../workspace-events';
import { createCredentialVault } from './credentials';

const CANARY = `canary-${randomUUID()}`;

async function workspaceWithWorkflow(prisma: PrismaClient, slug: string) {
  const workspace = await prisma.workspace.create({ data: { name: slug, slug } });
  const user = await prisma.user.create({ data: { email: `${slug}@vault.test`, name: slug } });
  const workflow = await prisma.workflow.create({
    data: { workspaceId: workspace.id, name: 'w', ownerTeam: 't', draftGraph: {}, createdById: user.id },
  });
  return { workspaceId: workspace.id, workflowId: workflow.id, userId: user.id };
}

function requestFor(
  ws: { workspaceId: string; workflowId: string },
  name: string,
  nodeId = 'call',
): CredentialRequest {
  return {
    workspaceId: ws.workspaceId,
    workflowId: ws.workflowId,
    workflowVersionId: 'v1',
    runId: 'r1',
    nodeId,
    name,
  };
}

async function eventsOf(prisma: PrismaClient, workspaceId: string) {
  return prisma.event.findMany({ where: { workspaceId, runId: null }, orderBy: { seq: 'asc' } });
}

describe('the credentials vault', () => {
  test('stores only ciphertext, reveals a bound credential and audits the use without the value', async ({
    db,
  }) => {
    const ws = await workspaceWithWorkflow(db.prisma, 'reveal');
    const vault = createCredentialVault({ prisma: db.prisma, masterKey: randomBytes(32) });
    const created = await vault.create(db.prisma, {
      workspaceId: ws.workspaceId,
      name: 'openai',
      value: CANARY,
      bindings: [{ workflowId: ws.workflowId, nodeIds: [] }],
      createdById: ws.userId,
    });
    expect(created).toMatchObject({ name: 'openai', keyVersion: 1, valueVersion: 1 });
    expect(JSON.stringify(created)).not.toContain(CANARY);
    const row = await db.prisma.credential.findUniqueOrThrow({ where: { id: created.id } });
    const everyByte = Buffer.concat(
      [row.valueCt, row.keyCt, row.valueIv, row.valueTag].map((b) => Buffer.from(b)),
    );
    expect(everyByte.includes(Buffer.from(CANARY))).toBe(false);
    // Nothing in the database holds the value in any encoding a dump would show.
    const dump = await db.prisma.$queryRaw<
      Array<{ t: string }>
    >`SELECT row_to_json(c)::text AS t FROM credentials c`;
    expect(dump.map((r) => r.t).join()).not.toContain(CANARY);
    expect(dump.map((r) => r.t).join()).not.toContain(Buffer.from(CANARY).toString('hex'));

    expect(await vault.reveal(requestFor(ws, 'openai'))).toBe(CANARY);
    const events = await eventsOf(db.prisma, ws.workspaceId);
    expect(events.map((e) => e.type)).toEqual(['credential.used']);
    expect(events[0]?.payload).toMatchObject({
      credentialId: created.id,
      name: 'openai',
      nodeId: 'call',
      runId: 'r1',
    });
    expect(JSON.stringify(events.map((e) => e.payload))).not.toContain(CANARY);
    expect(
      (await db.prisma.credential.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt,
    ).not.toBeNull();
    expect(await verifyWorkspaceChain(db.prisma, ws.workspaceId)).toMatchObject({ ok: true });
  });

  const refusals: Array<[string, string, string, string]> = [
    ['a credential that does not exist', 'missing', 'call', 'no credential of this name'],
    ['a credential not bound to the workflow', 'unbound', 'call', 'not bound to this workflow'],
    ['a credential bound to other nodes', 'node-bound', 'call', 'not bound to node call'],
  ];
  for (const [what, name, nodeId, reason] of refusals)
    test(`refuses ${what}, audits it and raises an alert`, async ({ db }) => {
      const ws = await workspaceWithWorkflow(db.prisma, `refuse-${name}`);
      const other = await workspaceWithWorkflow(db.prisma, `refuse-other-${name}`);
      const vault = createCredentialVault({ prisma: db.prisma, masterKey: randomBytes(32) });
      await vault.create(db.prisma, {
        workspaceId: ws.workspaceId,
        name: 'unbound',
        value: CANARY,
        bindings: [{ workflowId: other.workflowId, nodeIds: [] }],
        createdById: null,
      });
      await vault.create(db.prisma, {
        workspaceId: ws.workspaceId,
        name: 'node-bound',
        value: CANARY,
        bindings: [{ workflowId: ws.workflowId, nodeIds: ['summarise'] }],
        createdById: null,
      });
      const refusal = vault.reveal(requestFor(ws, name, nodeId));
      await expect(refusal).rejects.toBeInstanceOf(CredentialRefusedError);
      await expect(refusal).rejects.toThrow(reason);
      const events = await eventsOf(db.prisma, ws.workspaceId);
      expect(events.map((e) => e.type)).toEqual(['credential.refused', 'alert.raised']);
      expect(events[0]?.payload).toMatchObject({
        name,
        nodeId,
        runId: 'r1',
        reason: expect.stringContaining(reason),
      });
      const alert = await db.prisma.alert.findFirstOrThrow({ where: { workspaceId: ws.workspaceId } });
      expect(alert).toMatchObject({ kind: 'credential.refused', severity: 'critical', runId: 'r1', nodeId });
      expect(JSON.stringify({ events: events.map((e) => e.payload), alert })).not.toContain(CANARY);
      // The bound node itself is served.
      if (name === 'node-bound') expect(await vault.reveal(requestFor(ws, name, 'summarise'))).toBe(CANARY);
    });

  test('refused() records an engine-side refusal the same way', async ({ db }) => {
    const ws = await workspaceWithWorkflow(db.prisma, 'engine-refusal');
    const vault = createCredentialVault({ prisma: db.prisma, masterKey: randomBytes(32) });
    await vault.refused(requestFor(ws, 'openai'), 'the gate upstream is not approved');
    expect((await eventsOf(db.prisma, ws.workspaceId)).map((e) => e.type)).toEqual([
      'credential.refused',
      'alert.raised',
    ]);
    expect(
      await db.prisma.alert.count({ where: { workspaceId: ws.workspaceId, kind: 'credential.refused' } }),
    ).toBe(1);
  });

  test('a row copied to another workspace or another id does not decrypt', async ({ db }) => {
    const ws = await workspaceWithWorkflow(db.prisma, 'copy-from');
    const thief = await workspaceWithWorkflow(db.prisma, 'copy-to');
    const vault = createCredentialVault({ prisma: db.prisma, masterKey: randomBytes(32) });
    const created = await vault.create(db.prisma, {
      workspaceId: ws.workspaceId,
      name: 'stripe',
      value: CANARY,
      bindings: [{ workflowId: ws.workflowId, nodeIds: [] }],
      createdById: null,
    });
    const {
      id: _id,
      workspaceId: _ws,
      createdAt: _c,
      updatedAt: _u,
      ...columns
    } = await db.prisma.credential.findUniqueOrThrow({ where: { id: created.id } });
    // Into another workspace, bound to its workflow: the envelope names the original workspace.
    await db.prisma.credential.create({
      data: {
        ...columns,
        workspaceId: thief.workspaceId,
        bindings: { create: [{ workflowId: thief.workflowId }] },
      },
    });
    await expect(vault.reveal(requestFor(thief, 'stripe'))).rejects.toThrow('does not decrypt');
    // Under another id in the same workspace.
    await db.prisma.credential.create({
      data: {
        ...columns,
        name: 'stripe-copy',
        workspaceId: ws.workspaceId,
        bindings: { create: [{ workflowId: ws.workflowId }] },
      },
    });
    await expect(vault.reveal(requestFor(ws, 'stripe-copy'))).rejects.toThrow('does not decrypt');
    expect(
      await db.prisma.alert.count({ where: { workspaceId: thief.workspaceId, kind: 'credential.refused' } }),
    ).toBe(1);
    expect(await vault.reveal(requestFor(ws, 'stripe'))).toBe(CANARY);
  });

  test('rotating a value re-encrypts under a new data key; bindings and deletion apply at once', async ({
    db,
  }) => {
    const ws = await workspaceWithWorkflow(db.prisma, 'rotate-value');
    const vault = createCredentialVault({ prisma: db.prisma, masterKey: randomBytes(32) });
    const created = await vault.create(db.prisma, {
      workspaceId: ws.workspaceId,
      name: 'github',
      value: 'old-secret',
      bindings: [{ workflowId: ws.workflowId, nodeIds: [] }],
      createdById: null,
    });
    const before = await db.prisma.credential.findUniqueOrThrow({ where: { id: created.id } });
    const rotated = await vault.rotateValue(db.prisma, {
      workspaceId: ws.workspaceId,
      id: created.id,
      value: CANARY,
    });
    expect(rotated).toMatchObject({ valueVersion: 2, rotatedAt: expect.any(Date) });
    const after = await db.prisma.credential.findUniqueOrThrow({ where: { id: created.id } });
    expect(Buffer.from(after.keyCt).equals(Buffer.from(before.keyCt))).toBe(false);
    expect(await vault.reveal(requestFor(ws, 'github'))).toBe(CANARY);
    // Another workspace's id behaves as missing.
    const other = await workspaceWithWorkflow(db.prisma, 'rotate-other');
    expect(
      await vault.rotateValue(db.prisma, { workspaceId: other.workspaceId, id: created.id, value: 'x' }),
    ).toBeNull();

    await vault.setBindings(db.prisma, {
      workspaceId: ws.workspaceId,
      id: created.id,
      bindings: [{ workflowId: ws.workflowId, nodeIds: ['only-this'] }],
    });
    await expect(vault.reveal(requestFor(ws, 'github', 'call'))).rejects.toBeInstanceOf(
      CredentialRefusedError,
    );
    expect(await vault.reveal(requestFor(ws, 'github', 'only-this'))).toBe(CANARY);
    expect(await vault.remove(db.prisma, { workspaceId: ws.workspaceId, id: created.id })).toMatchObject({
      name: 'github',
    });
    await expect(vault.reveal(requestFor(ws, 'github', 'only-this'))).rejects.toThrow(
      'no credential of this name',
    );
    expect(await vault.list(db.prisma, ws.workspaceId)).toEqual([]);
  });

  test('verifyWithCredential checks inside the vault and audits only a passing check', async ({ db }) => {
    const ws = await workspaceWithWorkflow(db.prisma, 'trigger');
    const vault = createCredentialVault({ prisma: db.prisma, masterKey: randomBytes(32) });
    await vault.create(db.prisma, {
      workspaceId: ws.workspaceId,
      name: 'hook',
      value: CANARY,
      bindings: [{ workflowId: ws.workflowId, nodeIds: ['start'] }],
      createdById: null,
    });
    const request = {
      workspaceId: ws.workspaceId,
      workflowId: ws.workflowId,
      workflowVersionId: 'v1',
      nodeId: 'start',
      name: 'hook',
    };
    expect(await vault.verifyWithCredential(request, (secret) => secret === 'wrong')).toBe(false);
    expect(await eventsOf(db.prisma, ws.workspaceId)).toEqual([]);
    expect(await vault.verifyWithCredential(request, (secret) => secret === CANARY)).toBe(true);
    expect((await eventsOf(db.prisma, ws.workspaceId)).map((e) => e.type)).toEqual(['credential.used']);
    await expect(vault.verifyWithCredential({ ...request, nodeId: 'other' }, () => true)).rejects.toThrow(
      'not bound to node other',
    );
  });

  test('refuses bad names, values and bindings with the path of the problem', async ({ db }) => {
    const ws = await workspaceWithWorkflow(db.prisma, 'inputs');
    const vault = createCredentialVault({ prisma: db.prisma, masterKey: randomBytes(32) });
    const base = { workspaceId: ws.workspaceId, value: 'v', bindings: [], createdById: null };
    await expect(vault.create(db.prisma, { ...base, name: '../etc' })).rejects.toThrow('letters, digits');
    await expect(vault.create(db.prisma, { ...base, name: 'ok', value: '' })).rejects.toThrow();
    await expect(
      vault.create(db.prisma, {
        ...base,
        name: 'ok',
        bindings: [
          { workflowId: ws.workflowId, nodeIds: [] },
          { workflowId: ws.workflowId, nodeIds: [] },
        ],
      }),
    ).rejects.toThrow('a workflow is listed twice');
  });
});
