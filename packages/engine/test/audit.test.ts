import { appendWorkspaceEvents, verifyAudit } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { flow, seed, startEngine } from './support.js';

describe('audit verification of the hash chains', () => {
  test('names the first broken link when an event is updated, deleted or reordered, or a stored value changed', async ({
    db,
  }) => {
    const s = await seed(
      db,
      flow()
        .transform('a', { mapping: { n: 'input.n + 1' } })
        .output('done', {}),
    );
    await db.prisma.$transaction((tx) =>
      appendWorkspaceEvents(tx, s.workspaceId, [
        { type: 'member.added', payload: { userId: s.userId } },
        { type: 'workflow.published', payload: { workflowId: s.workflowId } },
      ]),
    );
    const { engine, close } = await startEngine(db, [], { workers: false });
    const runs: Record<string, string> = {};
    try {
      for (const name of ['clean', 'updated', 'deleted', 'truncated', 'reordered', 'output', 'runOutput']) {
        runs[name] = (await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } })).runId;
      }
    } finally {
      await close();
    }
    expect(await verifyAudit(db.url)).toMatchObject({
      runs: 7,
      workspaces: 1,
      events: 7 * 3 + 2,
      breaks: [],
    });

    const sql = (text: string, ...values: unknown[]) => db.prisma.$executeRawUnsafe(text, ...values);
    // The append-only trigger refuses updates; an attacker with table-owner rights can switch it off.
    await sql('ALTER TABLE events DISABLE TRIGGER events_append_only');
    await sql(
      `UPDATE events SET payload = '{"steps":[]}'::jsonb WHERE run_id = $1 AND seq = 2`,
      runs.updated,
    );
    await sql(`DELETE FROM events WHERE run_id = $1 AND seq = 2`, runs.deleted);
    await sql(`DELETE FROM events WHERE run_id = $1 AND seq = 3`, runs.truncated);
    await sql(`UPDATE events SET seq = 100 WHERE run_id = $1 AND seq = 1`, runs.reordered);
    await sql(`UPDATE events SET seq = 1 WHERE run_id = $1 AND seq = 2`, runs.reordered);
    await sql(`UPDATE events SET seq = 2 WHERE run_id = $1 AND seq = 100`, runs.reordered);
    // These runs finished at their start: their steps are kept as one step set (step 'a' is a tuple).
    await sql(
      `UPDATE step_sets SET steps = (
         SELECT json_agg(CASE WHEN x->>0 = 'a' THEN jsonb_set(x::jsonb, '{3}', '{"n": 99}')::json ELSE x END)
           FROM json_array_elements(steps) x)
       WHERE run_id = $1`,
      runs.output,
    );
    await sql(`UPDATE runs SET output = '{"n": 99}'::jsonb WHERE id = $1`, runs.runOutput);
    await sql(
      `UPDATE events SET type = 'member.removed' WHERE workspace_id = $1 AND run_id IS NULL AND seq = 1`,
      s.workspaceId,
    );
    await sql('ALTER TABLE events ENABLE TRIGGER events_append_only');

    const report = await verifyAudit(db.url);
    const byId = Object.fromEntries(report.breaks.map((b) => [b.id, b]));
    expect(byId[runs.clean ?? '']).toBeUndefined();
    expect(byId[runs.updated ?? '']).toMatchObject({
      chain: 'run',
      seq: 2,
      reason: expect.stringMatching(/hash/),
    });
    expect(byId[runs.deleted ?? '']).toMatchObject({
      seq: 2,
      reason: expect.stringMatching(/sequence number 2/),
    });
    expect(byId[runs.truncated ?? '']).toMatchObject({ seq: 3, reason: expect.stringMatching(/head/) });
    expect(byId[runs.reordered ?? '']).toMatchObject({ seq: 1 });
    expect(byId[runs.output ?? '']).toMatchObject({
      seq: 2,
      reason: expect.stringMatching(/output of step "a"/),
    });
    expect(byId[runs.runOutput ?? '']).toMatchObject({ seq: 3, reason: expect.stringMatching(/run output/) });
    expect(byId[s.workspaceId]).toMatchObject({ chain: 'workspace', seq: 1 });
    expect(report.breaks).toHaveLength(7);

    expect(await verifyAudit(db.url, { runId: runs.clean })).toMatchObject({ runs: 1, breaks: [] });
    expect((await verifyAudit(db.url, { runId: runs.updated })).breaks).toHaveLength(1);
  });
});
