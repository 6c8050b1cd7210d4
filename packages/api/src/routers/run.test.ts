// The run router against a stand-in engine: what it checks before calling the engine, what it
// passes on, and how run.watch resumes and notices lost access. (The engine's own guarantees are
// tested in packages/engine.)
import type { Database } from '@sluice/db';
import { test } from '@sluice/db/testing';
import type { RunEvent } from '@sluice/engine';
import { describe, expect } from 'vitest';
import { z } from 'zod';
import { MembershipEvents } from '../membership-events';
import { createCaller } from '../root';
import type { RunEngine } from '../run-engine';
import {
  asDatabase,
  contextFor,
  createWorkspaceFixture,
  tokenActor,
  userActor,
  type WorkspaceFixture,
} from '../testing';

/** Records calls; `subscribe` serves `events` after `afterSeq`, then waits for `push`es until aborted. */
function standInEngine(db: Database) {
  const events: RunEvent[] = [];
  const waiters = new Set<() => void>();
  const started: unknown[] = [];
  const cancelled: unknown[] = [];
  const engine: RunEngine = {
    async startRun(request) {
      started.push(request);
      const version = await db.prisma.workflowVersion.findUniqueOrThrow({
        where: { id: request.workflowVersionId },
        include: { workflow: true },
      });
      const run = await db.prisma.run.create({
        data: {
          workspaceId: version.workflow.workspaceId,
          workflowVersionId: version.id,
          input: JSON.parse(JSON.stringify(request.input ?? null)) ?? {},
          initiatedById: request.initiatedById ?? null,
          status: 'running',
        },
      });
      return { runId: run.id, created: true, status: 'running', output: null, error: null };
    },
    async cancelRun(runId, options) {
      cancelled.push({ runId, ...options });
      const run = await db.prisma.run.update({ where: { id: runId }, data: { status: 'cancelled' } });
      return { ...run, lastHash: run.lastHash, status: 'cancelled' };
    },
    subscribe(_runId, options = {}) {
      let delivered = options.afterSeq ?? 0;
      const signal = options.signal;
      async function* iterate(): AsyncGenerator<RunEvent> {
        while (!signal?.aborted) {
          const next = events.find((e) => e.seq === delivered + 1);
          if (next) {
            delivered = next.seq;
            yield next;
            continue;
          }
          await new Promise<void>((resolve) => {
            waiters.add(resolve);
            signal?.addEventListener('abort', () => resolve(), { once: true });
          });
        }
      }
      return iterate();
    },
  };
  const push = (event: RunEvent) => {
    events.push(event);
    for (const wake of waiters) wake();
    waiters.clear();
  };
  return { engine, started, cancelled, push };
}

function event(runId: string, workspaceId: string, seq: number): RunEvent {
  return {
    runId,
    workspaceId,
    seq,
    at: new Date().toISOString(),
    actorId: null,
    prevHash: '0'.repeat(64),
    hash: String(seq).padStart(64, '0'),
    type: 'step.log',
    payload: { nodeId: 'start', attempt: 1, level: 'info', message: `event ${seq}` },
  };
}

/**
 * A tracked item as `{ id, seq }`. Its declared type is `{ id, data }` (what an HTTP client gets); a
 * server-side caller yields the envelope `[id, data, marker]` itself.
 */
const Tracked = z.union([
  z.tuple([z.string(), z.object({ seq: z.number() })]).rest(z.unknown()),
  z.object({ id: z.string(), data: z.object({ seq: z.number() }) }),
]);
function trackedItem(item: unknown): { id: string; seq: number } {
  const parsed = Tracked.parse(item);
  return Array.isArray(parsed)
    ? { id: parsed[0], seq: parsed[1].seq }
    : { id: parsed.id, seq: parsed.data.seq };
}

describe('run router', () => {
  let acme: WorkspaceFixture;
  let other: WorkspaceFixture;
  test.beforeAll(async ({ db }) => {
    acme = await createWorkspaceFixture(db, { slug: 'acme' });
    other = await createWorkspaceFixture(db, { slug: 'other' });
  });

  test('start: the newest version, the caller as initiator, the workflow’s own trigger list', async ({
    db,
  }) => {
    const stand = standInEngine(asDatabase(db));
    const as = (role: 'owner' | 'operator') =>
      createCaller(contextFor(asDatabase(db), userActor(acme, role), { engine: stand.engine }));
    const started = await as('operator').run.start({
      workflowId: acme.workflowId,
      input: { n: 1 },
      runKey: 'k1',
    });
    expect(started).toMatchObject({ created: true, version: 1 });
    expect(stand.started).toEqual([
      {
        workflowVersionId: acme.workflowVersionId,
        input: { n: 1 },
        runKey: 'k1',
        initiatedById: acme.users.operator.id,
      },
    ]);
    const audited = await db.prisma.event.findFirstOrThrow({
      where: { workspaceId: acme.workspaceId, type: 'run.started' },
    });
    expect(audited.payload).toMatchObject({ runId: started.runId, workflowId: acme.workflowId, version: 1 });

    await expect(as('operator').run.start({ workflowId: other.workflowId, input: {} })).rejects.toMatchObject(
      { code: 'NOT_FOUND' },
    );
    await expect(
      as('operator').run.start({ workflowId: acme.workflowId, version: 7, input: {} }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // A version whose spec lets only owners start runs: an operator may not, an owner may.
    await db.prisma.workflowVersion.create({
      data: {
        workflowId: acme.workflowId,
        version: 2,
        spec: { access: { trigger: ['owner'], approve: [], operate: [], audit: [] } },
        graph: {},
        hash: 'b'.repeat(64),
        publishedById: acme.users.owner.id,
      },
    });
    await expect(as('operator').run.start({ workflowId: acme.workflowId, input: {} })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await as('owner').run.start({ workflowId: acme.workflowId, input: {} })).toMatchObject({
      version: 2,
    });
    expect(
      await as('operator').run.start({ workflowId: acme.workflowId, version: 1, input: {} }),
    ).toMatchObject({
      version: 1,
    });
    expect(stand.started).toHaveLength(3);
  });

  test('start without an engine in the process: PRECONDITION_FAILED', async ({ db }) => {
    const operator = createCaller(contextFor(asDatabase(db), userActor(acme, 'operator')));
    await expect(
      operator.run.start({ workflowId: acme.workflowId, version: 1, input: {} }),
    ).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });
  });

  test('list filters and get, within the workspace; a token limited to other workflows sees none', async ({
    db,
  }) => {
    const auditor = createCaller(contextFor(asDatabase(db), userActor(acme, 'auditor')));
    const runs = await auditor.run.list({});
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.every((r) => r.workflowId === acme.workflowId)).toBe(true);
    expect((await auditor.run.list({ status: ['succeeded'] })).map((r) => r.id)).toEqual([acme.runId]);
    expect(await auditor.run.list({ workflowId: other.workflowId })).toEqual([]);
    const one = await auditor.run.get({ id: acme.runId });
    expect(one).toMatchObject({ id: acme.runId, status: 'succeeded', workflowName: 'Echo acme', steps: [] });
    await expect(auditor.run.get({ id: other.runId })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const limited = createCaller(
      contextFor(asDatabase(db), tokenActor(acme, ['run:read'], ['another-workflow'])),
    );
    expect(await limited.run.list({})).toEqual([]);
    await expect(limited.run.get({ id: acme.runId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  test('cancel passes who and why to the engine and is recorded', async ({ db }) => {
    const stand = standInEngine(asDatabase(db));
    const operator = createCaller(
      contextFor(asDatabase(db), userActor(acme, 'operator'), { engine: stand.engine }),
    );
    const { runId } = await operator.run.start({ workflowId: acme.workflowId, version: 1, input: {} });
    expect(await operator.run.cancel({ id: runId, reason: 'duplicate' })).toEqual({
      id: runId,
      status: 'cancelled',
    });
    expect(stand.cancelled).toEqual([{ runId, reason: 'duplicate', actorId: acme.users.operator.id }]);
    expect(
      await db.prisma.event.count({ where: { workspaceId: acme.workspaceId, type: 'run.cancel_requested' } }),
    ).toBe(1);
  });

  test('watch: tracked by sequence number, resumes after lastEventId', async ({ db }) => {
    const stand = standInEngine(asDatabase(db));
    for (const seq of [1, 2, 3]) stand.push(event(acme.runId, acme.workspaceId, seq));
    const reviewer = createCaller(
      contextFor(asDatabase(db), userActor(acme, 'reviewer'), { engine: stand.engine }),
    );
    const read = async (lastEventId: string | null, count: number) => {
      const seen: Array<{ id: string; seq: number }> = [];
      for await (const item of await reviewer.run.watch({ runId: acme.runId, lastEventId })) {
        seen.push(trackedItem(item));
        if (seen.length === count) break;
      }
      return seen;
    };
    expect(await read(null, 3)).toEqual([
      { id: '1', seq: 1 },
      { id: '2', seq: 2 },
      { id: '3', seq: 3 },
    ]);
    expect((await read('1', 2)).map((e) => e.id)).toEqual(['2', '3']);
  });

  test('watch ends with FORBIDDEN when the member is removed or the token revoked', async ({ db }) => {
    const stand = standInEngine(asDatabase(db));
    const membershipEvents = new MembershipEvents();
    stand.push(event(acme.runId, acme.workspaceId, 1));
    const services = { engine: stand.engine, membershipEvents };
    const owner = createCaller(contextFor(asDatabase(db), userActor(acme, 'owner'), services));

    const spare = { ...userActor(acme, 'operator'), id: acme.spare.id, email: acme.spare.email };
    const watcher = createCaller(contextFor(asDatabase(db), spare, services));
    const stream = await watcher.run.watch({ runId: acme.runId });
    const iterator = stream[Symbol.asyncIterator]();
    expect(trackedItem((await iterator.next()).value)).toEqual({ id: '1', seq: 1 });
    const ended = iterator.next();
    await owner.member.remove({ userId: acme.spare.id });
    await expect(ended).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const created = await owner.token.create({ name: 'watcher', actions: ['run:read'], expiresInDays: 1 });
    const agent = createCaller(
      contextFor(asDatabase(db), { ...tokenActor(acme, ['run:read']), id: created.id }, services),
    );
    const agentIterator = (await agent.run.watch({ runId: acme.runId }))[Symbol.asyncIterator]();
    await agentIterator.next();
    const agentEnded = agentIterator.next();
    await owner.token.revoke({ id: created.id });
    await expect(agentEnded).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
