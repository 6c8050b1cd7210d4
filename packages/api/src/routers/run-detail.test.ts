// The run view's data: masking by classification and role, a step's attempts and logs from its
// run's events, and run.step / run.get / run.trigger against a real database.
import { type MembershipRole, toJsonInput } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { registry } from '@sluice/nodes';
import { type Access, compile, type EditorGraph } from '@sluice/spec';
import { describe, expect, it } from 'vitest';
import { createCaller } from '../root';
import {
  asDatabase,
  contextFor,
  createWorkspaceFixture,
  echoGraph,
  tokenActor,
  userActor,
  type WorkspaceFixture,
} from '../testing';
import { MASK, maskValue, mayRead, stepHistory } from './run-detail';

const access: Access = {
  trigger: ['operator'],
  approve: ['reviewer'],
  operate: ['operator'],
  audit: ['auditor'],
};

describe('maskValue', () => {
  it.each([
    ['a string', 'a@b.c', MASK],
    ['a number', 42, MASK],
    ['null', null, null],
    ['an object', { email: 'a@b.c', n: { deep: true } }, { email: MASK, n: { deep: MASK } }],
    ['an array', ['x', 1], [MASK, MASK]],
  ])('masks %s, keeping its shape', (_name, value, masked) => {
    expect(maskValue(value)).toEqual(masked);
  });
});

describe('mayRead', () => {
  const user = (role: MembershipRole) => ({
    type: 'user' as const,
    id: 'u',
    email: 'u@x.test',
    name: 'U',
    sessionId: 's',
    workspaceId: 'w',
    role,
  });
  it.each([
    ['editor', 'internal', true],
    ['editor', 'confidential', false],
    ['operator', 'confidential', true],
    ['reviewer', 'confidential', true],
    ['operator', 'restricted', false],
    ['auditor', 'restricted', true],
    ['owner', 'restricted', true],
  ] as const)('%s reading %s data: %s', (role, label, expected) => {
    expect(mayRead(user(role), label, access)).toBe(expected);
  });

  it('never lets a token read confidential data, and nobody but owners without an access list', () => {
    const token = {
      type: 'token' as const,
      id: 't',
      name: 't',
      workspaceId: 'w',
      actions: [],
      workflowIds: [],
    };
    expect(mayRead(token, 'confidential', access)).toBe(false);
    expect(mayRead(token, 'public', access)).toBe(true);
    expect(mayRead(user('auditor'), 'confidential', null)).toBe(false);
    expect(mayRead(user('owner'), 'confidential', null)).toBe(true);
  });
});

describe('stepHistory', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  const rows = [
    { seq: 1, type: 'step.started', payload: { nodeId: 'a', attempt: 1, worker: 'w1' }, createdAt: at(1) },
    {
      seq: 2,
      type: 'step.log',
      payload: { nodeId: 'a', attempt: 1, level: 'info', message: 'hi' },
      createdAt: at(2),
    },
    {
      seq: 3,
      type: 'step.failed',
      payload: {
        nodeId: 'a',
        attempt: 1,
        error: { code: 'UPSTREAM', message: 'down' },
        willRetry: true,
        retryAt: at(5).toISOString(),
      },
      createdAt: at(3),
    },
    { seq: 4, type: 'step.started', payload: { nodeId: 'b', attempt: 1, worker: 'w1' }, createdAt: at(4) },
    { seq: 5, type: 'step.started', payload: { nodeId: 'a', attempt: 2, worker: 'w2' }, createdAt: at(6) },
    {
      seq: 6,
      type: 'step.succeeded',
      payload: { nodeId: 'a', attempt: 2, outputHash: 'a'.repeat(64), ports: ['out'], durationMs: 12 },
      createdAt: at(7),
    },
    { seq: 7, type: 'step.log', payload: { nodeId: 'a', level: 'nonsense' }, createdAt: at(8) },
  ];

  it('gathers one node’s attempts and logs in order, ignoring others and damaged rows', () => {
    const history = stepHistory('a', rows);
    expect(history.attempts).toEqual([
      {
        attempt: 1,
        status: 'failed',
        worker: 'w1',
        startedAt: at(1).toISOString(),
        finishedAt: at(3).toISOString(),
        durationMs: 2000,
        error: { code: 'UPSTREAM', message: 'down' },
        willRetry: true,
      },
      {
        attempt: 2,
        status: 'succeeded',
        worker: 'w2',
        startedAt: at(6).toISOString(),
        finishedAt: at(7).toISOString(),
        durationMs: 12,
        error: null,
        willRetry: false,
      },
    ]);
    expect(history.logs).toEqual([
      { seq: 2, at: at(2).toISOString(), attempt: 1, level: 'info', message: 'hi', data: null },
    ]);
    expect(stepHistory('b', rows).attempts.map((a) => a.status)).toEqual(['running']);
  });

  it('reads steps the engine settled inline from steps.settled', () => {
    const settled = [
      {
        seq: 1,
        type: 'steps.settled',
        payload: {
          steps: [
            { status: 'succeeded', nodeId: 'x', attempt: 1, outputHash: 'b'.repeat(64), ports: ['out'] },
            { status: 'skipped', nodeId: 'y' },
          ],
        },
        createdAt: at(1),
      },
    ];
    expect(stepHistory('x', settled).attempts).toMatchObject([
      { attempt: 1, status: 'settled', durationMs: 0 },
    ]);
    expect(stepHistory('y', settled).attempts).toEqual([]);
  });
});

/** trigger (confidential) → output, published as its own workflow with one run and its steps. */
async function confidentialRun(
  db: { prisma: Parameters<typeof createWorkspaceFixture>[0]['prisma'] },
  acme: WorkspaceFixture,
) {
  const base = echoGraph('Confidential echo');
  const graph: EditorGraph = {
    ...base,
    nodes: base.nodes.map((node) =>
      node.kind === 'trigger'
        ? {
            ...node,
            classification: 'confidential',
            config: {
              type: 'manual',
              input: { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] },
            },
          }
        : node,
    ),
  };
  const compiled = compile(graph, registry);
  if (!compiled.spec || !compiled.hash) throw new Error('the graph does not compile');
  const workflow = await db.prisma.workflow.create({
    data: {
      workspaceId: acme.workspaceId,
      name: 'Confidential echo',
      ownerTeam: 'platform',
      draftGraph: toJsonInput(graph),
      createdById: acme.users.owner.id,
    },
  });
  const version = await db.prisma.workflowVersion.create({
    data: {
      workflowId: workflow.id,
      version: 1,
      spec: toJsonInput(compiled.spec),
      graph: toJsonInput(graph),
      hash: compiled.hash,
      publishedById: acme.users.owner.id,
    },
  });
  const run = await db.prisma.run.create({
    data: {
      workspaceId: acme.workspaceId,
      workflowVersionId: version.id,
      input: { email: 'ada@example.test' },
      output: { email: 'ada@example.test' },
      status: 'succeeded',
      initiatedById: acme.users.operator.id,
    },
  });
  await db.prisma.step.create({
    data: {
      runId: run.id,
      nodeId: 'done',
      status: 'succeeded',
      attempt: 1,
      output: { email: 'ada@example.test' },
      ports: [],
      meta: { details: { note: 'kept' } },
      startedAt: new Date(),
      finishedAt: new Date(),
    },
  });
  await db.prisma.event.create({
    data: {
      workspaceId: acme.workspaceId,
      runId: run.id,
      seq: 1,
      type: 'steps.settled',
      payload: {
        steps: [
          { status: 'succeeded', nodeId: 'start', attempt: 1, outputHash: 'c'.repeat(64), ports: ['out'] },
          { status: 'succeeded', nodeId: 'done', attempt: 1, outputHash: 'd'.repeat(64), ports: [] },
        ],
      },
      prevHash: '0'.repeat(64),
      hash: 'e'.repeat(64),
    },
  });
  return { workflowId: workflow.id, runId: run.id };
}

describe('run detail procedures', () => {
  let acme: WorkspaceFixture;
  let other: WorkspaceFixture;
  let confidential: { workflowId: string; runId: string };
  test.beforeAll(async ({ db }) => {
    acme = await createWorkspaceFixture(db, { slug: 'acme' });
    other = await createWorkspaceFixture(db, { slug: 'other' });
    confidential = await confidentialRun(db, acme);
  });

  test('run.step masks confidential data for roles the workflow does not name, keeping its keys', async ({
    db,
  }) => {
    const as = (role: MembershipRole) => createCaller(contextFor(asDatabase(db), userActor(acme, role)));
    const seen = await as('operator').run.step({ runId: confidential.runId, nodeId: 'done' });
    expect(seen).toMatchObject({
      kind: 'output',
      label: 'Done',
      status: 'succeeded',
      classification: { input: 'confidential' },
      masked: { input: false, output: false },
      output: { email: 'ada@example.test' },
      details: { note: 'kept' },
      attempts: [{ attempt: 1, status: 'settled' }],
    });
    const hidden = await as('editor').run.step({ runId: confidential.runId, nodeId: 'done' });
    expect(hidden).toMatchObject({
      masked: { input: true, output: true },
      output: { email: MASK },
      details: { note: MASK },
    });
    const trigger = await as('editor').run.step({ runId: confidential.runId, nodeId: 'start' });
    expect(trigger).toMatchObject({ kind: 'trigger', input: { email: MASK } });
    const token = createCaller(contextFor(asDatabase(db), tokenActor(acme, ['run:read'])));
    expect((await token.run.step({ runId: confidential.runId, nodeId: 'done' })).output).toEqual({
      email: MASK,
    });

    await expect(
      as('operator').run.step({ runId: confidential.runId, nodeId: 'nope' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(as('operator').run.step({ runId: other.runId, nodeId: 'done' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  test('run.get carries the version’s canvas, the initiator, and masks the run’s data by role', async ({
    db,
  }) => {
    const as = (role: MembershipRole) => createCaller(contextFor(asDatabase(db), userActor(acme, role)));
    const run = await as('auditor').run.get({ id: confidential.runId });
    expect(run.graph?.nodes.map((n) => n.id)).toEqual(['start', 'done']);
    expect(run).toMatchObject({
      initiatedByName: acme.users.operator.name,
      input: { email: 'ada@example.test' },
    });
    expect((await as('editor').run.get({ id: confidential.runId })).input).toEqual({ email: MASK });
  });

  test('run.trigger gives the newest version’s input schema to those who may start runs', async ({ db }) => {
    const operator = createCaller(contextFor(asDatabase(db), userActor(acme, 'operator')));
    expect(await operator.run.trigger({ workflowId: confidential.workflowId })).toEqual({
      workflowId: confidential.workflowId,
      name: 'Confidential echo',
      version: 1,
      type: 'manual',
      input: { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] },
    });
    const auditor = createCaller(contextFor(asDatabase(db), userActor(acme, 'auditor')));
    await expect(auditor.run.trigger({ workflowId: confidential.workflowId })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(operator.run.trigger({ workflowId: other.workflowId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
