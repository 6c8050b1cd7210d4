// The approval router on the real engine and PostgreSQL: separation of duties through every route,
// k-of-n quorums, replayed and stale decisions, 100 concurrent decisions, expiry with escalation,
// and the notification webhook.
import { createServer, type Server } from 'node:http';
import { createDataSealer, openPgStore, type PgStore } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { createEngine, type Engine } from '@sluice/engine';
import { type NodeConfigInputs, registry } from '@sluice/nodes';
import { serverExecutors } from '@sluice/nodes/server';
import { type Spec, workflow } from '@sluice/spec';
import { TRPCError } from '@trpc/server';
import { describe, expect } from 'vitest';
import { ApprovalNotifier } from '../approvals/notifications';
import { approvalWaitPolicies } from '../approvals/policies';
import { addMember, publishSpec, runEvents } from '../approvals/testing';
import type { Actor } from '../context';
import { createCaller } from '../root';
import {
  asDatabase,
  contextFor,
  createWorkspaceFixture,
  testMasterKey,
  userActor,
  type WorkspaceFixture,
} from '../testing';

/** trigger → gate (always review) → transform (n + 1) → output. */
function gated(gate: NodeConfigInputs['gate'] = {}): Spec {
  return workflow<NodeConfigInputs>('gated')
    .owner('finance')
    .trigger({ type: 'manual', input: { type: 'object', properties: { n: { type: 'integer' } } } })
    .gate('approve', { approvers: { roles: ['owner', 'reviewer'], users: [] }, ...gate })
    .transform('bump', { mapping: { n: 'input.n + 1' } })
    .output('done', {})
    .build(registry);
}

describe('approvals', () => {
  let acme: WorkspaceFixture;
  let store: PgStore;
  let engine: Engine;
  test.beforeAll(async ({ db }) => {
    acme = await createWorkspaceFixture(db, { slug: 'acme' });
    store = await openPgStore({ url: db.url });
    engine = createEngine({
      store,
      executors: serverExecutors,
      workers: { concurrency: 2, leaseMs: 5_000, pollMs: 100 },
      waitPolicies: approvalWaitPolicies(),
      waitSweepMs: 50,
    });
    await engine.start();
    return async () => {
      await engine.stop();
      await store.close();
    };
  });

  const callerAs = (db: Parameters<typeof asDatabase>[0], actor: Actor) =>
    createCaller(contextFor(asDatabase(db), actor, { engine }));

  /** Starts a run as `initiator` and returns it with the review as the caller `as` sees it. */
  async function waitingRun(db: Parameters<typeof asDatabase>[0], spec: Spec, initiator: Actor, n = 1) {
    const { workflowId } = await publishSpec(db, acme, spec);
    const started = await callerAs(db, initiator).run.start({ workflowId, input: { n } });
    expect(started.status).toBe('waiting');
    return { workflowId, runId: started.runId };
  }

  async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
    try {
      await promise;
      return { code: 'OK', message: '' };
    } catch (error) {
      if (error instanceof TRPCError) return { code: error.code, message: error.message };
      throw error;
    }
  }

  test('the initiator cannot approve through any route: session, second session, agent token', async ({
    db,
  }) => {
    const owner = userActor(acme, 'owner');
    const { runId } = await waitingRun(db, gated(), owner);
    const asOwner = callerAs(db, owner);
    const review = await asOwner.approval.get({ runId, nodeId: 'approve' });
    expect(review).toMatchObject({ kind: 'gate', status: 'open', mayDecide: false, gate: { quorum: 1 } });
    expect(review.why).toMatch(/you started this run/);
    const decision = {
      runId,
      nodeId: 'approve',
      verdict: 'approve' as const,
      payloadHash: review.payloadHash,
    };

    expect(await codeOf(asOwner.approval.decide(decision))).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/started this run/),
    });
    const secondSession = { ...owner, sessionId: 'another-browser' };
    expect((await codeOf(callerAs(db, secondSession).approval.decide(decision))).code).toBe('FORBIDDEN');
    // A token the owner made, explicitly granted approval:decide, decides as the owner: refused too.
    const made = await asOwner.token.create({
      name: 'approver bot',
      actions: ['approval:decide', 'approval:read'],
      expiresInDays: 1,
    });
    const token: Actor = {
      type: 'token',
      id: made.id,
      name: 'approver bot',
      workspaceId: acme.workspaceId,
      actions: ['approval:decide', 'approval:read'],
      workflowIds: [],
    };
    expect((await codeOf(callerAs(db, token).approval.decide(decision))).code).toBe('FORBIDDEN');
    // A token without the grant is refused before anything is looked at.
    const reader: Actor = { ...token, actions: ['approval:read'] };
    expect((await codeOf(callerAs(db, reader).approval.decide(decision))).code).toBe('FORBIDDEN');

    // A reviewer's token is the reviewer: it may approve, and the run goes on.
    const reviewerToken = await callerAs(db, userActor(acme, 'owner')).token.create({
      name: 'r',
      actions: ['run:read'],
      expiresInDays: 1,
    });
    await db.prisma.apiToken.update({
      where: { id: reviewerToken.id },
      data: { createdById: acme.users.reviewer.id, actions: ['approval:decide'] },
    });
    const asReviewerToken: Actor = {
      type: 'token',
      id: reviewerToken.id,
      name: 'r',
      workspaceId: acme.workspaceId,
      actions: ['approval:decide'],
      workflowIds: [],
    };
    expect(await callerAs(db, asReviewerToken).approval.decide(decision)).toMatchObject({
      status: 'approved',
      approvals: 1,
      quorum: 1,
    });
    const done = await engine.waitForRun(runId, { timeoutMs: 10_000 });
    expect(done).toMatchObject({ status: 'succeeded', output: { n: 2 } });
    const decided = (await runEvents(db, runId)).filter((e) => e.type === 'wait.decided');
    expect(decided).toEqual([
      expect.objectContaining({
        actorId: reviewerToken.id,
        payload: expect.objectContaining({
          userId: acme.users.reviewer.id,
          via: { type: 'token', id: reviewerToken.id },
          payloadHash: review.payloadHash,
          outcome: 'approved',
        }),
      }),
    ]);
  });

  test.for([1, 2, 3])(
    'k-of-n: a quorum of %i distinct eligible approvers, each counted once',
    async (k, { db }) => {
      const { runId } = await waitingRun(db, gated({ quorum: k }), userActor(acme, 'operator'));
      const reviewers = [userActor(acme, 'reviewer'), userActor(acme, 'owner')];
      for (let i = reviewers.length; i < k; i++) {
        const extra = await addMember(db, acme, 'reviewer');
        reviewers.push({
          ...userActor(acme, 'reviewer'),
          id: extra.id,
          email: extra.email,
          name: extra.name,
        });
      }
      const auditor = callerAs(db, userActor(acme, 'auditor'));
      const { payloadHash } = await auditor.approval.get({ runId, nodeId: 'approve' });
      const decision = { runId, nodeId: 'approve', verdict: 'approve' as const, payloadHash };
      for (const [i, reviewer] of reviewers.slice(0, k).entries()) {
        const result = await callerAs(db, reviewer).approval.decide(decision);
        expect(result).toMatchObject({
          approvals: i + 1,
          quorum: k,
          status: i + 1 === k ? 'approved' : 'recorded',
        });
        if (i + 1 < k) {
          // The same person again does not count twice; the run still waits.
          expect(await codeOf(callerAs(db, reviewer).approval.decide(decision))).toMatchObject({
            code: 'CONFLICT',
            message: expect.stringMatching(/already decided/),
          });
          expect((await engine.getRun(runId))?.status).toBe('waiting');
        }
      }
      expect(await engine.waitForRun(runId, { timeoutMs: 10_000 })).toMatchObject({
        status: 'succeeded',
        output: { n: 2 },
      });
      const detail = await auditor.approval.get({ runId, nodeId: 'approve' });
      expect(detail).toMatchObject({ status: 'resolved', mayDecide: false, gate: { outcome: 'approved' } });
      expect(detail.gate?.decisions).toHaveLength(k);
    },
  );

  test('a replayed decision, a stale payload hash, a reason-less rejection and a non-approver are refused', async ({
    db,
  }) => {
    const { runId } = await waitingRun(db, gated({ quorum: 2 }), userActor(acme, 'operator'));
    const reviewer = callerAs(db, userActor(acme, 'reviewer'));
    const review = await reviewer.approval.get({ runId, nodeId: 'approve' });
    expect(review).toMatchObject({
      mayDecide: true,
      payload: { input: { n: 1 } },
      gate: { rule: { index: null } },
    });
    const decision = {
      runId,
      nodeId: 'approve',
      verdict: 'approve' as const,
      payloadHash: review.payloadHash,
    };
    expect(await reviewer.approval.decide(decision)).toMatchObject({ status: 'recorded', approvals: 1 });
    expect((await codeOf(reviewer.approval.decide(decision))).code).toBe('CONFLICT');
    const owner = callerAs(db, userActor(acme, 'owner'));
    expect(await codeOf(owner.approval.decide({ ...decision, payloadHash: 'f'.repeat(64) }))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/not what you were shown/),
    });
    expect(
      (await codeOf(owner.approval.decide({ ...decision, verdict: 'reject', comment: '  ' }))).code,
    ).toBe('BAD_REQUEST');
    const operator = callerAs(db, userActor(acme, 'operator'));
    expect((await codeOf(operator.approval.decide(decision))).code).toBe('FORBIDDEN');
    // A rejection with a reason ends it; nothing handles `rejected`, so the gate fails.
    expect(
      await owner.approval.decide({ ...decision, verdict: 'reject', comment: 'amount looks wrong' }),
    ).toMatchObject({ status: 'rejected' });
    expect(await engine.waitForRun(runId, { timeoutMs: 10_000 })).toMatchObject({
      status: 'failed',
      error: { code: 'GATE_REJECTED', nodeId: 'approve' },
    });
    // Replaying the winning request afterwards: already decided.
    expect(
      await codeOf(owner.approval.decide({ ...decision, verdict: 'reject', comment: 'amount looks wrong' })),
    ).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already decided/) });
  });

  test('100 concurrent approve/reject calls on one gate: exactly one decision', async ({ db }) => {
    const { runId } = await waitingRun(db, gated(), userActor(acme, 'operator'));
    const people: Actor[] = [];
    for (let i = 0; i < 10; i++) {
      const m = await addMember(db, acme, 'reviewer');
      people.push({ ...userActor(acme, 'reviewer'), id: m.id, email: m.email, name: m.name });
    }
    // A second engine on its own connection pool stands for a second server process.
    const store2 = await openPgStore({ url: db.url });
    const engine2 = createEngine({ store: store2, executors: serverExecutors, workers: false });
    try {
      const { payloadHash } = await callerAs(db, userActor(acme, 'auditor')).approval.get({
        runId,
        nodeId: 'approve',
      });
      const calls = Array.from({ length: 100 }, (_, i) => {
        const actor = people[i % people.length] as Actor;
        const caller = createCaller(
          contextFor(asDatabase(db), actor, { engine: i % 2 === 0 ? engine : engine2 }),
        );
        const verdict = i % 3 === 0 ? ('reject' as const) : ('approve' as const);
        return codeOf(
          caller.approval.decide({
            runId,
            nodeId: 'approve',
            verdict,
            comment: verdict === 'reject' ? 'no' : '',
            payloadHash,
          }),
        );
      });
      const outcomes = await Promise.all(calls);
      expect(outcomes.filter((o) => o.code === 'OK')).toHaveLength(1);
      expect(outcomes.filter((o) => o.code !== 'OK').map((o) => o.code)).toEqual(
        Array.from({ length: 99 }, () => 'CONFLICT'),
      );
      const decided = (await runEvents(db, runId)).filter((e) => e.type === 'wait.decided');
      expect(decided).toHaveLength(1);
      const wait = await db.prisma.wait.findUniqueOrThrow({
        where: { runId_nodeId: { runId, nodeId: 'approve' } },
      });
      expect(wait.status).toBe('resolved');
      expect((wait.state as { decisions: unknown[] }).decisions).toHaveLength(1);
      const done = await engine.waitForRun(runId, { timeoutMs: 10_000 });
      expect(['succeeded', 'failed']).toContain(done.status);
    } finally {
      await store2.close();
    }
  });

  test('a reminder, then expiry escalates once to the owners, then the escalated review can be decided', async ({
    db,
  }) => {
    const spec = gated({
      approvers: { roles: ['reviewer'], users: [] },
      expiry: {
        afterMs: 2_000,
        remindAfterMs: 1_000,
        onExpiry: 'escalate',
        escalateTo: { roles: ['owner'], users: [] },
      },
    });
    const { runId } = await waitingRun(db, spec, userActor(acme, 'operator'));
    await until(async () => (await runEvents(db, runId)).some((e) => e.type === 'wait.escalated'));
    const news = (await runEvents(db, runId)).map((e) => e.type).filter((t) => t.startsWith('wait.'));
    expect(news).toEqual(['wait.reminded', 'wait.escalated']);
    const reviewer = callerAs(db, userActor(acme, 'reviewer'));
    const review = await reviewer.approval.get({ runId, nodeId: 'approve' });
    expect(review).toMatchObject({
      mayDecide: false,
      gate: { escalated: true, approvers: { roles: ['owner'] } },
    });
    const owner = callerAs(db, userActor(acme, 'owner'));
    expect(await owner.approval.list({ mine: true })).toEqual(
      expect.arrayContaining([expect.objectContaining({ runId, mayDecide: true })]),
    );
    await owner.approval.decide({
      runId,
      nodeId: 'approve',
      verdict: 'approve',
      payloadHash: review.payloadHash,
    });
    expect(await engine.waitForRun(runId, { timeoutMs: 10_000 })).toMatchObject({ status: 'succeeded' });
  });

  test('a rejection goes on the rejected port when something handles it', async ({ db }) => {
    const spec = workflow<NodeConfigInputs>('with a rejection path')
      .owner('finance')
      .trigger({ type: 'manual', input: { type: 'object', properties: { n: { type: 'integer' } } } })
      .gate('approve', { approvers: { roles: ['reviewer'], users: [] } })
      .output('done', {})
      .from('approve.rejected')
      .transform('declined', { mapping: { declined: 'true' } })
      .output('told', {})
      .build(registry);
    const { runId } = await waitingRun(db, spec, userActor(acme, 'operator'));
    const reviewer = callerAs(db, userActor(acme, 'reviewer'));
    const { payloadHash } = await reviewer.approval.get({ runId, nodeId: 'approve' });
    await reviewer.approval.decide({
      runId,
      nodeId: 'approve',
      verdict: 'reject',
      comment: 'not this one',
      payloadHash,
    });
    expect(await engine.waitForRun(runId, { timeoutMs: 10_000 })).toMatchObject({
      status: 'succeeded',
      output: { declined: true },
    });
  });

  test('an unanswered review expires as a rejection', async ({ db }) => {
    const { runId } = await waitingRun(
      db,
      gated({ expiry: { afterMs: 1_000, onExpiry: 'reject' } }),
      userActor(acme, 'operator'),
    );
    const done = await engine.waitForRun(runId, { timeoutMs: 15_000 });
    expect(done).toMatchObject({ status: 'failed', error: { code: 'GATE_REJECTED' } });
    const expired = (await runEvents(db, runId)).filter((e) => e.type === 'wait.expired');
    expect(expired).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ kind: 'gate', outcome: 'rejected' }) }),
    ]);
  });

  test('the inbox filters by kind, status and workflow, and says why I may not decide', async ({ db }) => {
    const { runId, workflowId } = await waitingRun(db, gated(), userActor(acme, 'operator'));
    const reviewer = callerAs(db, userActor(acme, 'reviewer'));
    const mine = await reviewer.approval.list({ workflowId });
    expect(mine).toEqual([
      expect.objectContaining({
        runId,
        nodeId: 'approve',
        kind: 'gate',
        status: 'open',
        mayDecide: true,
        approvals: 0,
        quorum: 1,
      }),
    ]);
    expect(await reviewer.approval.list({ workflowId, kind: 'human' })).toEqual([]);
    expect(await reviewer.approval.list({ workflowId, status: 'resolved' })).toEqual([]);
    const operator = callerAs(db, userActor(acme, 'operator'));
    const seenByOperator = await operator.approval.list({ workflowId });
    expect(seenByOperator[0]).toMatchObject({
      mayDecide: false,
      why: expect.stringMatching(/started this run/),
    });
    expect(await operator.approval.list({ workflowId, mine: true })).toEqual([]);
  });

  test('notifications: the workspace webhook hears of a review opening and being decided, once', async ({
    db,
  }) => {
    const received: { text: string; sluice: { event: string; runId: string } }[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    try {
      const owner = callerAs(db, userActor(acme, 'owner'));
      expect(
        await owner.approval.setWebhook({ url: `http://127.0.0.1:${address.port}/hooks/secret-path` }),
      ).toEqual({ url: `http://127.0.0.1:${address.port}/…` });
      expect(await owner.approval.webhook()).toEqual({ url: `http://127.0.0.1:${address.port}/…` });
      await expect(owner.approval.setWebhook({ url: 'http://10.0.0.8/hook' })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
      const notifier = new ApprovalNotifier({ prisma: db.prisma, settleMs: 0 });
      const other = new ApprovalNotifier({ prisma: db.prisma, settleMs: 0 });
      await notifier.poll();
      const { runId } = await waitingRun(db, gated(), userActor(acme, 'operator'));
      const { payloadHash } = await owner.approval.get({ runId, nodeId: 'approve' });
      await owner.approval.decide({ runId, nodeId: 'approve', verdict: 'approve', payloadHash });
      await engine.waitForRun(runId, { timeoutMs: 10_000 });
      // Two processes polling at once: each piece of news goes out once.
      await Promise.all([notifier.poll(), other.poll()]);
      const forRun = received.filter((r) => r.sluice.runId === runId).map((r) => r.sluice.event);
      expect(forRun).toEqual(['review.opened', 'review.decided']);
      expect(received.find((r) => r.sluice.event === 'review.decided')?.text).toMatch(
        /approved .* the review is approved/,
      );
    } finally {
      await clearWebhook(db);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  async function clearWebhook(db: Parameters<typeof asDatabase>[0]) {
    await db.prisma.workspace.update({
      where: { id: acme.workspaceId },
      data: { notificationWebhookUrl: null },
    });
  }
});

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('approvals of confidential data', () => {
  test('the payload is ciphertext at rest, shown opened to the reviewer, and the decision applies', async ({
    db,
  }) => {
    const acme = await createWorkspaceFixture(db, { slug: 'sealed' });
    const sealer = createDataSealer({ prisma: db.prisma, masterKey: testMasterKey });
    const store = await openPgStore({ url: db.url, sealer });
    const engine = createEngine({ store, executors: serverExecutors, workers: false });
    await engine.start();
    try {
      const spec = workflow<NodeConfigInputs>('sealed gate')
        .owner('finance')
        .trigger(
          { type: 'manual', input: { type: 'object', properties: { note: { type: 'string' } } } },
          { classification: 'confidential' },
        )
        .gate('approve', {})
        .output('done', {})
        .build(registry);
      const { workflowId } = await publishSpec(db, acme, spec);
      const as = (role: 'operator' | 'reviewer') =>
        createCaller(contextFor(asDatabase(db), userActor(acme, role), { engine, sealer }));
      const canary = 'canary-7f3a9c';
      const started = await as('operator').run.start({ workflowId, input: { note: canary } });
      const row = await db.prisma.wait.findUniqueOrThrow({
        where: { runId_nodeId: { runId: started.runId, nodeId: 'approve' } },
      });
      expect(JSON.stringify(row.payload)).not.toContain(canary);
      const review = await as('reviewer').approval.get({ runId: started.runId, nodeId: 'approve' });
      expect(review.payload).toMatchObject({ input: { note: canary } });
      await as('reviewer').approval.decide({
        runId: started.runId,
        nodeId: 'approve',
        verdict: 'approve',
        payloadHash: review.payloadHash,
      });
      expect(await engine.waitForRun(started.runId, { timeoutMs: 10_000 })).toMatchObject({
        status: 'succeeded',
        output: { note: canary },
      });
    } finally {
      await engine.stop();
      await store.close();
    }
  });
});
