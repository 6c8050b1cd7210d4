// workspace.news on the real engine and PostgreSQL: a member hears their own workspace's runs,
// approvals and alerts, never another workspace's, only the kinds their role may read, and loses the
// feed when removed.
import { openPgStore, type PgStore, raiseMonitorAlert } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { createEngine, type Engine } from '@sluice/engine';
import { serverExecutors } from '@sluice/nodes/server';
import type { MembershipRole } from '@sluice/db';
import { describe, expect } from 'vitest';
import { MembershipEvents } from '../membership-events';
import { createCaller } from '../root';
import { asDatabase, contextFor, createWorkspaceFixture, userActor, type WorkspaceFixture } from '../testing';
import type { WorkspaceNotice } from './workspace';
import { WorkspaceNews } from './workspace-news-hub';

type Db = Parameters<typeof asDatabase>[0];

/** Opens `role`'s news stream in `fixture` and reads its `ready` notice. */
async function listen(db: Db, engine: Engine, fixture: WorkspaceFixture, role: MembershipRole) {
  const caller = createCaller(contextFor(asDatabase(db), userActor(fixture, role), { engine }));
  const iterator = (await caller.workspace.news())[Symbol.asyncIterator]();
  const ready = (await iterator.next()).value as WorkspaceNotice;
  return { iterator, ready, next: async () => (await iterator.next()).value as WorkspaceNotice };
}

function alertIn(fixture: WorkspaceFixture, key: string) {
  return {
    workspaceId: fixture.workspaceId,
    dedupeKey: `test.news:${key}`,
    kind: 'test.news',
    severity: 'warning' as const,
    message: `news test ${key}`,
    details: {},
  };
}

describe('workspace.news', () => {
  let store: PgStore;
  let engine: Engine;
  test.beforeAll(async ({ db }) => {
    store = await openPgStore({ url: db.url });
    engine = createEngine({ store, executors: serverExecutors, workers: false });
    await engine.start();
    return async () => {
      await engine.stop();
      await store.close();
    };
  });

  test('a run of workspace A is news to A’s members only', async ({ db }) => {
    const a = await createWorkspaceFixture(db, { slug: 'news-runs-a' });
    const b = await createWorkspaceFixture(db, { slug: 'news-runs-b' });
    const inA = await listen(db, engine, a, 'operator');
    const inB = await listen(db, engine, b, 'operator');
    expect(inA.ready).toEqual({ type: 'ready', kinds: ['runs', 'approvals', 'alerts'] });
    try {
      const operator = createCaller(contextFor(asDatabase(db), userActor(a, 'operator'), { engine }));
      const started = await operator.run.start({ workflowId: a.workflowId, input: {} });
      expect(await inA.next()).toEqual({ type: 'changed', kind: 'runs' });
      await engine.waitForRun(started.runId, { timeoutMs: 10_000 });
      // B heard nothing of A's run: the first notice B gets is its own alert.
      await raiseMonitorAlert(db.prisma, alertIn(b, 'after-a-run'));
      expect(await inB.next()).toEqual({ type: 'changed', kind: 'alerts' });
    } finally {
      await inA.iterator.return?.();
      await inB.iterator.return?.();
    }
  });

  test('an alert of workspace A, raised or acknowledged, is news to A’s members only', async ({ db }) => {
    const a = await createWorkspaceFixture(db, { slug: 'news-alerts-a' });
    const b = await createWorkspaceFixture(db, { slug: 'news-alerts-b' });
    const inA = await listen(db, engine, a, 'operator');
    const inB = await listen(db, engine, b, 'operator');
    try {
      const alertId = await raiseMonitorAlert(db.prisma, alertIn(a, 'raised'));
      expect(await inA.next()).toEqual({ type: 'changed', kind: 'alerts' });
      const operator = createCaller(contextFor(asDatabase(db), userActor(a, 'operator'), { engine }));
      await operator.alert.acknowledge({ id: alertId ?? '', comment: 'seen' });
      expect(await inA.next()).toEqual({ type: 'changed', kind: 'alerts' });
      // B heard nothing of A's alerts: the first notice B gets is its own run.
      const bOperator = createCaller(contextFor(asDatabase(db), userActor(b, 'operator'), { engine }));
      const started = await bOperator.run.start({ workflowId: b.workflowId, input: {} });
      expect(await inB.next()).toEqual({ type: 'changed', kind: 'runs' });
      await engine.waitForRun(started.runId, { timeoutMs: 10_000 });
    } finally {
      await inA.iterator.return?.();
      await inB.iterator.return?.();
    }
  });

  test('a reviewer hears runs and approvals but not alerts', async ({ db }) => {
    const a = await createWorkspaceFixture(db, { slug: 'news-reviewer' });
    const reviewer = await listen(db, engine, a, 'reviewer');
    expect(reviewer.ready).toEqual({ type: 'ready', kinds: ['runs', 'approvals'] });
    try {
      await raiseMonitorAlert(db.prisma, alertIn(a, 'unheard'));
      const operator = createCaller(contextFor(asDatabase(db), userActor(a, 'operator'), { engine }));
      const started = await operator.run.start({ workflowId: a.workflowId, input: {} });
      // The alert came first, but the reviewer's first notice is the run.
      expect(await reviewer.next()).toEqual({ type: 'changed', kind: 'runs' });
      await engine.waitForRun(started.runId, { timeoutMs: 10_000 });
    } finally {
      await reviewer.iterator.return?.();
    }
  });

  test('a removed member loses the feed', async ({ db }) => {
    const a = await createWorkspaceFixture(db, { slug: 'news-removed' });
    const membershipEvents = new MembershipEvents();
    const services = { engine, membershipEvents };
    const owner = createCaller(contextFor(asDatabase(db), userActor(a, 'owner'), services));
    const spare = { ...userActor(a, 'operator'), id: a.spare.id, email: a.spare.email };
    const listener = createCaller(contextFor(asDatabase(db), spare, services));
    const iterator = (await listener.workspace.news())[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'ready' });
    const ended = iterator.next();
    await owner.member.remove({ userId: a.spare.id });
    await expect(ended).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  test('the run → workspace cache stays within its bound and still routes every run', async ({ db }) => {
    const fixtures = await Promise.all(
      ['cache-1', 'cache-2', 'cache-3'].map((slug) => createWorkspaceFixture(db, { slug })),
    );
    const listeners = new Set<(runId: string) => void>();
    const activity = {
      onRunActivity: (listener: (runId: string) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const hub = new WorkspaceNews({ prisma: db.prisma, engine: activity, cacheSize: 2, throttleMs: 0 });
    const heard: string[] = [];
    const stops = fixtures.map((f) =>
      hub.subscribe(f.workspaceId, (kind) => heard.push(`${f.runId}:${kind}`)),
    );
    try {
      for (const round of [1, 2]) {
        for (const f of fixtures) {
          const runs = new Promise<void>((resolve) => {
            const stop = hub.subscribe(f.workspaceId, (kind) => kind === 'runs' && (stop(), resolve()));
          });
          for (const listener of listeners) listener(f.runId);
          await runs;
        }
        expect(hub.cachedRuns, `round ${round}`).toBeLessThanOrEqual(2);
      }
      expect(heard.filter((h) => h.endsWith(':runs'))).toEqual(
        [...fixtures, ...fixtures].map((f) => `${f.runId}:runs`),
      );
    } finally {
      for (const stop of stops) stop();
      hub.close();
    }
  });
});
