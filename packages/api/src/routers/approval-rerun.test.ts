// A gate reached again after a rerun, on the real engine and PostgreSQL: approval.get shows the
// payload of the attempt the rerun replaced beside the new one (opened like it when the data is
// confidential, ciphertext at rest), so the reviewer can see what changed since the last decision.
// trigger → human task (the operator's answer is the gate's input) → gate → output; the rerun starts
// from the task, whose new answer changes what the gate shows.
import { createDataSealer, openPgStore } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { createEngine } from '@sluice/engine';
import { type NodeConfigInputs, registry } from '@sluice/nodes';
import { serverExecutors } from '@sluice/nodes/server';
import { type Classification, workflow } from '@sluice/spec';
import { describe, expect } from 'vitest';
import { approvalWaitPolicies } from '../approvals/policies';
import { publishSpec } from '../approvals/testing';
import { createCaller } from '../root';
import { asDatabase, contextFor, createWorkspaceFixture, testMasterKey, userActor } from '../testing';

const form = {
  type: 'object' as const,
  properties: { amount: { type: 'number' as const }, payee: { type: 'string' as const, maxLength: 80 } },
  required: ['amount', 'payee'],
  additionalProperties: false,
};

function spec(classification: Classification) {
  return workflow<NodeConfigInputs>(`payout ${classification}`)
    .owner('finance')
    .trigger(
      { type: 'manual', input: { type: 'object', properties: { ticket: { type: 'string' } } } },
      { classification },
    )
    .human(
      'check',
      { role: 'operator', title: 'Enter the payout', instructions: 'Amount and payee', form },
      { owner: 'ops', classification },
    )
    .gate('approve', {
      approvers: { roles: ['reviewer'], users: [] },
      summary: 'Pay out',
      show: [{ label: 'Amount', value: 'input.amount' }],
    })
    .output('done', {})
    .build(registry);
}

async function until<T>(find: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined && found !== null && found !== false) return found;
    if (Date.now() > deadline) throw new Error('nothing turned up in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a gate reached again after a rerun', () => {
  test.for(['internal', 'confidential'] as const)(
    '%s: approval.get shows the replaced attempt as previous beside the new payload',
    async (classification, { db }) => {
      const acme = await createWorkspaceFixture(db, { slug: `rerun-${classification}` });
      const sealer = createDataSealer({ prisma: db.prisma, masterKey: testMasterKey });
      const store = await openPgStore({ url: db.url, sealer });
      const engine = createEngine({
        store,
        executors: serverExecutors,
        workers: { concurrency: 2, leaseMs: 10_000, pollMs: 50 },
        waitPolicies: approvalWaitPolicies(),
      });
      await engine.start();
      try {
        const { workflowId } = await publishSpec(db, acme, spec(classification));
        const as = (role: 'operator' | 'reviewer') =>
          createCaller(contextFor(asDatabase(db), userActor(acme, role), { engine, sealer }));
        const operator = as('operator');
        const reviewer = as('reviewer');
        const { runId } = await operator.run.start({ workflowId, input: { ticket: 'T-1' } });
        const first = { amount: 100, payee: 'canary-payee-1f2e' };
        const second = { amount: 120, payee: 'canary-payee-1f2e' };

        /** Answers the task at `attempt` with `answer`, then returns the gate's review once it is open. */
        const answerThenReview = async (attempt: number, answer: typeof first) => {
          const task = await until(async () => {
            const t = await operator.approval.get({ runId, nodeId: 'check' });
            const row = await db.prisma.wait.findUnique({
              where: { runId_nodeId: { runId, nodeId: 'check' } },
            });
            return t.status === 'open' && row?.attempt === attempt && t;
          });
          await operator.approval.answer({ runId, nodeId: 'check', answer, payloadHash: task.payloadHash });
          return until(async () => {
            const review = await reviewer.approval.get({ runId, nodeId: 'approve' });
            const row = await db.prisma.wait.findUnique({
              where: { runId_nodeId: { runId, nodeId: 'approve' } },
            });
            return review.status === 'open' && row?.attempt === attempt && review;
          });
        };

        const before = await answerThenReview(1, first);
        expect(before.previous).toBeNull();
        expect(before.payload).toMatchObject({ input: first, shown: [{ label: 'Amount', value: 100 }] });
        await reviewer.approval.decide({
          runId,
          nodeId: 'approve',
          verdict: 'approve',
          payloadHash: before.payloadHash,
        });
        expect((await engine.waitForRun(runId, { timeoutMs: 15_000 })).status).toBe('succeeded');

        await operator.run.rerun({ id: runId, nodeId: 'check', reason: 'wrong amount' });
        const after = await answerThenReview(2, second);
        expect(after.payload).toMatchObject({ input: second, shown: [{ label: 'Amount', value: 120 }] });
        expect(after.payloadHash).not.toBe(before.payloadHash);
        expect(after.previous).toEqual({
          attempt: 1,
          payload: before.payload,
          payloadHash: before.payloadHash,
        });
        // The new attempt starts with no decisions: the approval was given on the earlier payload.
        expect(after.gate?.decisions).toEqual([]);
        expect(after).toMatchObject({ mayDecide: true, status: 'open' });

        const row = await db.prisma.wait.findUniqueOrThrow({
          where: { runId_nodeId: { runId, nodeId: 'approve' } },
        });
        expect(row).toMatchObject({
          attempt: 2,
          previousAttempt: 1,
          previousPayloadHash: before.payloadHash,
        });
        if (classification === 'confidential') {
          // Ciphertext at rest, both the current payload and the one kept from attempt 1.
          expect(sealer.isSealed(row.previousPayload)).toBe(true);
          expect(sealer.isSealed(row.payload)).toBe(true);
          expect(JSON.stringify([row.payload, row.previousPayload])).not.toContain('canary-payee');
        } else {
          expect(row.previousPayload).toEqual(before.payload);
        }
        // The inbox lists the review without reading the previous attempt.
        const listed = await reviewer.approval.list({ kind: 'gate' });
        expect(listed.find((i) => i.runId === runId)).not.toHaveProperty('previous');
      } finally {
        await engine.stop();
        await store.close();
      }
    },
  );
});
