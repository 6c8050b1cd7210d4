import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { createCaller } from '../root';
import { asDatabase, contextFor, createWorkspaceFixture, userActor, type WorkspaceFixture } from '../testing';

describe('alert.list', () => {
  let acme: WorkspaceFixture;
  let other: WorkspaceFixture;
  const ids: Record<'stall' | 'resolved' | 'acked', string> = { stall: '', resolved: '', acked: '' };

  test.beforeAll(async ({ db }) => {
    acme = await createWorkspaceFixture(db, { slug: 'acme' });
    other = await createWorkspaceFixture(db, { slug: 'other' });
    const base = { workspaceId: acme.workspaceId, runId: acme.runId };
    // Created in this order, so ids (uuid v7) grow: newest first means acked, resolved, stall, fixture.
    ids.stall = (
      await db.prisma.alert.create({
        data: {
          ...base,
          nodeId: 'check',
          kind: 'stall.overdue',
          severity: 'warning',
          message: 'Step "check" has been running past its expected time',
          dedupeKey: `stall.overdue:${acme.runId}:check:1`,
        },
      })
    ).id;
    ids.resolved = (
      await db.prisma.alert.create({
        data: {
          ...base,
          nodeId: 'charge',
          kind: 'stall.lease',
          severity: 'critical',
          message: 'a lease was not renewed',
          dedupeKey: `stall.lease:${acme.runId}:charge:1`,
          resolvedAt: new Date(),
        },
      })
    ).id;
    ids.acked = (
      await db.prisma.alert.create({
        data: {
          ...base,
          nodeId: 'check',
          kind: 'security.fast_approval',
          severity: 'warning',
          message: 'approved faster than it could be read',
          acknowledgedAt: new Date(),
          acknowledgedById: acme.users.operator.id,
          comment: 'seen',
        },
      })
    ).id;
    await db.prisma.alert.create({
      data: { workspaceId: other.workspaceId, kind: 'stall.silent', severity: 'warning', message: 'other' },
    });
  });

  test('gives where each alert points and whether it was resolved', async ({ db }) => {
    const operator = createCaller(contextFor(asDatabase(db), userActor(acme, 'operator')));
    const [stall] = await operator.alert.list({ id: ids.stall, status: 'all' });
    expect(stall).toMatchObject({
      id: ids.stall,
      runId: acme.runId,
      nodeId: 'check',
      dedupeKey: `stall.overdue:${acme.runId}:check:1`,
      resolvedAt: null,
      acknowledgedAt: null,
    });
    const [resolved] = await operator.alert.list({ id: ids.resolved, status: 'all' });
    expect(resolved?.resolvedAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
  });

  test('filters open, active, resolved, unacknowledged and acknowledged alerts of the run', async ({
    db,
  }) => {
    const operator = createCaller(contextFor(asDatabase(db), userActor(acme, 'operator')));
    const of = async (status: 'open' | 'active' | 'resolved' | 'unacknowledged' | 'acknowledged' | 'all') =>
      (await operator.alert.list({ status, runId: acme.runId })).map((a) => a.id);
    expect(await of('open')).toEqual([ids.stall]);
    expect(await of('active')).toEqual([ids.acked, ids.stall]);
    expect(await of('resolved')).toEqual([ids.resolved]);
    expect(await of('unacknowledged')).toEqual([ids.resolved, ids.stall]);
    expect(await of('acknowledged')).toEqual([ids.acked]);
    expect(await of('all')).toEqual([ids.acked, ids.resolved, ids.stall]);
    // Without a run: the workspace's own alerts only (the fixture's one-off alert among them).
    const everything = (await operator.alert.list({ status: 'all' })).map((a) => a.id);
    expect(everything).toEqual([ids.acked, ids.resolved, ids.stall, acme.alertId]);
  });

  test('one alert by id is found only in its own workspace', async ({ db }) => {
    const outsider = createCaller(contextFor(asDatabase(db), userActor(other, 'operator')));
    expect(await outsider.alert.list({ id: ids.stall, status: 'all' })).toEqual([]);
  });
});
