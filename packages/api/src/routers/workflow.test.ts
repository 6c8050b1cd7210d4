import { seedDemoWorkspace } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { TRPCError } from '@trpc/server';
import { describe, expect } from 'vitest';
import { createCaller } from '../root';

const graph = {
  graphVersion: 1,
  metadata: { name: 'Echo', description: 'Hands its input back', ownerTeam: 'platform' },
  access: { trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] },
  nodes: [
    {
      id: 'start',
      kind: 'trigger',
      typeVersion: 1,
      label: 'Start',
      owner: 'platform',
      position: { x: 0, y: 0 },
      config: { type: 'manual' },
    },
    {
      id: 'done',
      kind: 'output',
      typeVersion: 1,
      label: 'Done',
      owner: 'platform',
      position: { x: 200, y: 0 },
      config: {},
    },
  ],
  edges: [{ id: 'e1', source: 'start', sourceHandle: 'out', target: 'done', targetHandle: 'in' }],
};

describe('workflow router', () => {
  test('list and get return the published version and its graph', async ({ db }) => {
    await seedDemoWorkspace(db.prisma, {
      workspace: { name: 'Acme', slug: 'acme' },
      users: [{ email: 'o@acme.test', name: 'O', role: 'owner', passwordHash: 'x' }],
      workflow: {
        name: 'Echo',
        description: 'Hands its input back',
        ownerTeam: 'platform',
        graph,
        spec: {},
        hash: 'a'.repeat(64),
      },
    });
    const caller = createCaller({
      db: { url: db.url, prisma: db.prisma, embedded: false, migrationsApplied: [], close: async () => {} },
    });
    const list = await caller.workflow.list();
    expect(list).toEqual([
      expect.objectContaining({
        name: 'Echo',
        ownerTeam: 'platform',
        latestVersion: { version: 1, hash: 'a'.repeat(64) },
      }),
    ]);
    const one = await caller.workflow.get({ id: list[0]!.id });
    expect(one.graph.nodes.map((n) => n.id)).toEqual(['start', 'done']);
    expect(one.latestVersion?.version).toBe(1);
  });

  test('get: an unknown id is NOT_FOUND and extra keys are refused', async ({ db }) => {
    const caller = createCaller({
      db: { url: db.url, prisma: db.prisma, embedded: false, migrationsApplied: [], close: async () => {} },
    });
    await expect(caller.workflow.get({ id: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(caller.workflow.get({ id: 'x', workspaceId: 'y' } as never)).rejects.toBeInstanceOf(
      TRPCError,
    );
  });
});
