// What the database itself guarantees, beyond the Prisma schema: immutable versions, an append-only
// event log, one event per sequence number in every chain, event payloads stored as written (json,
// uncompressed), and enum lists that match the database.
import { getAuthTables } from '@better-auth/core/db';
import { describe, expect } from 'vitest';
import { genesisHash } from './chain';
import { membershipRoles, runStatuses, stepStatuses } from './enums';
import { test } from './testing';

const hash = 'a'.repeat(64);

describe('database guarantees', () => {
  let ids: { workspaceId: string; versionId: string; runId: string };

  test.beforeAll(async ({ db }) => {
    const user = await db.prisma.user.create({ data: { email: 'c@example.test', name: 'C' } });
    const workspace = await db.prisma.workspace.create({ data: { name: 'C', slug: 'c' } });
    const workflow = await db.prisma.workflow.create({
      data: { workspaceId: workspace.id, name: 'w', ownerTeam: 't', draftGraph: {}, createdById: user.id },
    });
    const version = await db.prisma.workflowVersion.create({
      data: { workflowId: workflow.id, version: 1, spec: { a: 1 }, graph: {}, hash, publishedById: user.id },
    });
    const run = await db.prisma.run.create({
      data: { workspaceId: workspace.id, workflowVersionId: version.id, input: {}, runKey: 'k1' },
    });
    ids = { workspaceId: workspace.id, versionId: version.id, runId: run.id };
  });

  test.for([
    ['spec', { spec: { a: 2 } }],
    ['graph', { graph: { nodes: [] } }],
    ['hash', { hash: 'b'.repeat(64) }],
    ['version', { version: 2 }],
  ] as const)('a published version refuses a change of its %s', async ([, data], { db }) => {
    await expect(db.prisma.workflowVersion.update({ where: { id: ids.versionId }, data })).rejects.toThrow(
      /is immutable/,
    );
  });

  test('an event cannot be rewritten once appended', async ({ db }) => {
    const event = await db.prisma.event.create({
      data: {
        workspaceId: ids.workspaceId,
        runId: ids.runId,
        seq: 1,
        type: 't',
        payload: {},
        prevHash: genesisHash,
        hash,
      },
    });
    await expect(
      db.prisma.event.update({ where: { id: event.id }, data: { payload: { forged: true } } }),
    ).rejects.toThrow(/append-only/);
  });

  test('an event payload is stored as json, as written, and a large one is not compressed', async ({
    db,
  }) => {
    // A 100-step steps.settled list: mostly output hashes, which compression halves at most.
    const steps = Array.from({ length: 100 }, (_, i) => ({
      attempt: 1,
      nodeId: `t${i}`,
      outputHash: `${i}`.padStart(64, 'f'),
      ports: ['out'],
      status: 'succeeded',
    }));
    const event = await db.prisma.event.create({
      data: {
        workspaceId: ids.workspaceId,
        runId: ids.runId,
        seq: 3,
        type: 'steps.settled',
        payload: { steps },
        prevHash: genesisHash,
        hash,
      },
    });
    const [stored] = await db.prisma.$queryRaw<{ type: string; text: number; size: number }[]>`
      SELECT pg_typeof(payload)::text AS type, octet_length(payload::text) AS text, pg_column_size(payload) AS size
        FROM events WHERE id = ${event.id}`;
    expect(stored?.type).toBe('json');
    expect(stored?.text).toBeGreaterThan(10_000);
    expect(stored?.size).toBeGreaterThanOrEqual(stored?.text ?? Infinity);
    const read = await db.prisma.event.findUniqueOrThrow({ where: { id: event.id } });
    expect(read.payload).toEqual({ steps });
  });

  test('each chain has one event per sequence number, run chains and the workspace chain alike', async ({
    db,
  }) => {
    const base = { workspaceId: ids.workspaceId, type: 't', payload: {}, prevHash: genesisHash, hash };
    await db.prisma.event.create({ data: { ...base, runId: null, seq: 1 } });
    await expect(db.prisma.event.create({ data: { ...base, runId: null, seq: 1 } })).rejects.toThrow();
    await db.prisma.event.create({ data: { ...base, runId: ids.runId, seq: 2 } });
    await expect(db.prisma.event.create({ data: { ...base, runId: ids.runId, seq: 2 } })).rejects.toThrow();
  });

  test('a run key starts at most one run per workspace', async ({ db }) => {
    const run = { workspaceId: ids.workspaceId, workflowVersionId: ids.versionId, input: {} };
    await expect(db.prisma.run.create({ data: { ...run, runKey: 'k1' } })).rejects.toThrow();
    await db.prisma.run.create({ data: { ...run, runKey: null } });
    await db.prisma.run.create({ data: { ...run, runKey: null } }); // no key, no limit
  });

  test('deleting a workspace removes its workflows, versions, runs, steps, step sets, waits and events', async ({
    db,
  }) => {
    const user = await db.prisma.user.create({ data: { email: 'gone@example.test', name: 'G' } });
    const workspace = await db.prisma.workspace.create({ data: { name: 'Gone', slug: 'gone' } });
    const workflow = await db.prisma.workflow.create({
      data: { workspaceId: workspace.id, name: 'w', ownerTeam: 't', draftGraph: {}, createdById: user.id },
    });
    const version = await db.prisma.workflowVersion.create({
      data: { workflowId: workflow.id, version: 1, spec: {}, graph: {}, hash, publishedById: user.id },
    });
    const run = await db.prisma.run.create({
      data: { workspaceId: workspace.id, workflowVersionId: version.id, input: {} },
    });
    await db.prisma.step.create({ data: { runId: run.id, nodeId: 'n1' } });
    await db.prisma.stepSet.create({ data: { runId: run.id, steps: [] } });
    await db.prisma.wait.create({
      data: {
        runId: run.id,
        nodeId: 'gate',
        workspaceId: workspace.id,
        kind: 'gate',
        attempt: 1,
        payload: {},
        payloadHash: hash,
        request: {},
      },
    });
    await db.prisma.event.create({
      data: {
        workspaceId: workspace.id,
        runId: run.id,
        seq: 1,
        type: 't',
        payload: {},
        prevHash: genesisHash,
        hash,
      },
    });

    await db.prisma.workspace.delete({ where: { id: workspace.id } });
    expect(await db.prisma.run.count({ where: { id: run.id } })).toBe(0);
    expect(await db.prisma.step.count({ where: { runId: run.id } })).toBe(0);
    expect(await db.prisma.stepSet.count({ where: { runId: run.id } })).toBe(0);
    expect(await db.prisma.wait.count({ where: { runId: run.id } })).toBe(0);
    expect(await db.prisma.event.count({ where: { workspaceId: workspace.id } })).toBe(0);
    expect(await db.prisma.workflowVersion.count({ where: { id: version.id } })).toBe(0);
  });

  test('a version that runs were started from cannot be deleted on its own', async ({ db }) => {
    await expect(db.prisma.workflowVersion.delete({ where: { id: ids.versionId } })).rejects.toThrow();
  });

  test.for([
    ['membership_role', membershipRoles],
    ['run_status', runStatuses],
    ['step_status', stepStatuses],
  ] as const)(
    'the %s values exported from packages/db are the database enum',
    async ([type, values], { db }) => {
      const rows = await db.prisma.$queryRawUnsafe<Array<{ label: string }>>(
        `SELECT unnest(enum_range(NULL::"${type}"))::text AS label`,
      );
      expect(rows.map((r) => r.label)).toEqual([...values]);
    },
  );
});

describe('better-auth', () => {
  const tables = Object.values(getAuthTables({}));
  const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

  test.for(tables.map((t) => [t.modelName, t] as const))(
    'finds every column of its %s table, nullable exactly where optional',
    async ([model, table], { db }) => {
      const tableName = `${model}s`;
      const columns = await db.prisma.$queryRawUnsafe<Array<{ column_name: string; is_nullable: string }>>(
        `SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = $1`,
        tableName,
      );
      const actual = Object.fromEntries(columns.map((c) => [c.column_name, c.is_nullable === 'YES']));
      for (const field of Object.values(table.fields)) {
        expect(actual, `${tableName}.${snake(field.fieldName ?? '')}`).toHaveProperty(
          snake(field.fieldName ?? ''),
          field.required === false,
        );
      }
      const clientProperty = model.charAt(0).toLowerCase() + model.slice(1);
      expect(clientProperty in db.prisma).toBe(true);
    },
  );
});
