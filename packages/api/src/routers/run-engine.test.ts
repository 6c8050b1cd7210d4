// The run router with the real engine on the test database: start, get, watch with resume, verify.
import { openPgStore, type PgStore } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { createEngine, type Engine } from '@sluice/engine';
import { serverExecutors } from '@sluice/nodes/server';
import { describe, expect } from 'vitest';
import { createCaller } from '../root';
import { asDatabase, contextFor, createWorkspaceFixture, userActor, type WorkspaceFixture } from '../testing';

describe('run router on the engine', () => {
  let acme: WorkspaceFixture;
  let store: PgStore;
  let engine: Engine;
  test.beforeAll(async ({ db }) => {
    acme = await createWorkspaceFixture(db, { slug: 'acme' });
    store = await openPgStore({ url: db.url });
    engine = createEngine({ store, executors: serverExecutors, workers: false });
    await engine.start();
    return async () => {
      await engine.stop();
      await store.close();
    };
  });

  test('start runs the published version; get, watch and verify see the same run', async ({ db }) => {
    const operator = createCaller(contextFor(asDatabase(db), userActor(acme, 'operator'), { engine }));
    const started = await operator.run.start({ workflowId: acme.workflowId, input: {}, runKey: 'once' });
    expect(started).toMatchObject({ created: true, version: 1 });
    const again = await operator.run.start({ workflowId: acme.workflowId, input: {}, runKey: 'once' });
    expect(again).toMatchObject({ created: false, runId: started.runId });

    await engine.waitForRun(started.runId, { timeoutMs: 10_000 });
    const run = await operator.run.get({ id: started.runId });
    expect(run).toMatchObject({ status: 'succeeded', initiatedById: acme.users.operator.id });
    // A run that finished at its start keeps its steps as one step set: read as every step.
    expect(await db.prisma.stepSet.count({ where: { runId: started.runId } })).toBe(1);
    expect(run.steps.map((s) => [s.nodeId, s.status, s.attempt])).toEqual([
      ['done', 'succeeded', 1],
      ['start', 'succeeded', 1],
    ]);
    expect(run.steps.every((s) => typeof s.startedAt === 'string' && s.finishedAt === s.startedAt)).toBe(
      true,
    );
    expect(await operator.run.step({ runId: started.runId, nodeId: 'done' })).toMatchObject({
      status: 'succeeded',
      output: {},
      startedAt: run.steps[0]?.startedAt,
    });

    const seen: string[] = [];
    for await (const item of await operator.run.watch({ runId: started.runId })) {
      seen.push(String(Array.isArray(item) ? item[0] : item.id));
    }
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual(seen.map((_, i) => String(i + 1)));
    const resumed: string[] = [];
    for await (const item of await operator.run.watch({ runId: started.runId, lastEventId: '1' })) {
      resumed.push(String(Array.isArray(item) ? item[0] : item.id));
    }
    expect(resumed).toEqual(seen.slice(1));
    // In batches: the same events in order, each message's id the seq of its last event.
    const batched: string[] = [];
    for await (const item of await operator.run.watchBatches({ runId: started.runId, lastEventId: '1' })) {
      // A tracked item reaches a server-side caller as [id, data, marker].
      const [id, data] = item as unknown as [string, Array<{ seq: number }>];
      expect(id).toBe(String(data.at(-1)?.seq));
      batched.push(...data.map((event) => String(event.seq)));
    }
    expect(batched).toEqual(seen.slice(1));

    const auditor = createCaller(contextFor(asDatabase(db), userActor(acme, 'auditor'), { engine }));
    expect(await auditor.audit.verify({ runId: started.runId })).toEqual({ ok: true, length: seen.length });
    // Cancelling a finished run changes nothing.
    expect(await operator.run.cancel({ id: started.runId })).toEqual({
      id: started.runId,
      status: 'succeeded',
    });
  });

  test('an input the trigger refuses is a BAD_REQUEST naming the problem', async ({ db }) => {
    const operator = createCaller(contextFor(asDatabase(db), userActor(acme, 'operator'), { engine }));
    await expect(
      operator.run.start({ workflowId: acme.workflowId, input: 'not an object' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  test('a burst of 100 starts at once: every run starts and every start is audited', async ({ db }) => {
    const operator = createCaller(contextFor(asDatabase(db), userActor(acme, 'operator'), { engine }));
    const before = await db.prisma.workspace.findUniqueOrThrow({ where: { id: acme.workspaceId } });
    const started = await Promise.all(
      Array.from({ length: 100 }, () => operator.run.start({ workflowId: acme.workflowId, input: {} })),
    );
    expect(started.every((s) => s.created)).toBe(true);
    expect(new Set(started.map((s) => s.runId)).size).toBe(100);
    const audited = await db.prisma.event.count({
      where: { workspaceId: acme.workspaceId, runId: null, type: 'run.started', seq: { gt: before.lastSeq } },
    });
    expect(audited).toBe(100);
  });
});
