import { openPgStore } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { createEngine } from '@sluice/engine';
import { type NodeConfigInputs, registry } from '@sluice/nodes';
import { serverExecutors } from '@sluice/nodes/server';
import { workflow } from '@sluice/spec';
import { describe, expect, vi } from 'vitest';
import { auditCommand } from './audit';

async function runAudit(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    const runIndex = args.indexOf('--run');
    const values = runIndex >= 0 ? { run: args[runIndex + 1] } : {};
    const positionals = runIndex >= 0 ? args.slice(0, runIndex) : args;
    const code = await auditCommand.run({ values, positionals });
    return { code, out };
  } finally {
    write.mockRestore();
  }
}

describe('sluice audit verify', () => {
  test('passes on intact chains and names the run and sequence number of an updated event', async ({
    db,
  }) => {
    vi.stubEnv('DATABASE_URL', db.url);
    const user = await db.prisma.user.create({ data: { email: 'audit@example.test', name: 'A' } });
    const workspace = await db.prisma.workspace.create({ data: { name: 'A', slug: 'audit' } });
    const wf = await db.prisma.workflow.create({
      data: { workspaceId: workspace.id, name: 'w', ownerTeam: 't', draftGraph: {}, createdById: user.id },
    });
    const spec = workflow<NodeConfigInputs>('w')
      .owner('t')
      .trigger({ type: 'manual' })
      .transform('a', { mapping: { ok: 'true' } })
      .output('done', {})
      .build(registry);
    const version = await db.prisma.workflowVersion.create({
      data: {
        workflowId: wf.id,
        version: 1,
        spec: JSON.parse(JSON.stringify(spec)),
        graph: {},
        hash: 'a'.repeat(64),
        publishedById: user.id,
      },
    });
    const store = await openPgStore({ url: db.url });
    const engine = createEngine({ store, executors: serverExecutors, workers: false });
    const runs = [];
    try {
      for (let i = 0; i < 3; i++)
        runs.push(await engine.startRun({ workflowVersionId: version.id, input: {} }));
    } finally {
      await store.close();
    }
    const clean = await runAudit(['verify']);
    expect(clean).toMatchObject({ code: 0, out: expect.stringContaining('every chain verifies') });

    const victim = runs[1]?.runId ?? '';
    await db.prisma.$executeRawUnsafe('ALTER TABLE events DISABLE TRIGGER events_append_only');
    await db.prisma.$executeRawUnsafe(
      `UPDATE events SET payload = jsonb_set(payload::jsonb, '{steps,0,attempt}', '2')::json WHERE run_id = $1 AND seq = 2`,
      victim,
    );
    await db.prisma.$executeRawUnsafe('ALTER TABLE events ENABLE TRIGGER events_append_only');

    const broken = await runAudit(['verify']);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain(`run ${victim}: broken at seq 2: hash does not match the content`);
    expect((await runAudit(['verify', '--run', runs[0]?.runId ?? ''])).code).toBe(0);
    expect((await runAudit(['verify', '--run', victim])).code).toBe(1);
    expect((await runAudit(['check'])).code).toBe(2);
    vi.unstubAllEnvs();
  });
});
