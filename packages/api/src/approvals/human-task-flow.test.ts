// Issue 6's end-to-end flow on the real engine, PostgreSQL and a loopback model server:
// trigger → ai (openai-compatible) → validator (redact) → human (answered through the API) → output.
// The e-mail address the model writes is redacted before the person sees it and never reaches an event.
import { openPgStore, type PgStore } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { createEngine, type Engine } from '@sluice/engine';
import { type NodeConfigInputs, registry } from '@sluice/nodes';
import { serverExecutors } from '@sluice/nodes/server';
import { type ModelServer, startModelServer } from '@sluice/nodes/testing';
import { workflow } from '@sluice/spec';
import { describe, expect } from 'vitest';
import { createCaller } from '../root';
import { asDatabase, contextFor, createWorkspaceFixture, userActor, type WorkspaceFixture } from '../testing';
import { approvalWaitPolicies } from './policies';
import { publishSpec, runEvents } from './testing';

const SECRET_EMAIL = 'jane.doe@example.com';
const form = {
  type: 'object' as const,
  properties: { approved: { type: 'boolean' as const }, note: { type: 'string' as const, maxLength: 200 } },
  required: ['approved'],
  additionalProperties: false,
};

describe('trigger → ai → validator(redact) → human → output', () => {
  let acme: WorkspaceFixture;
  let store: PgStore;
  let engine: Engine;
  let model: ModelServer;
  test.beforeAll(async ({ db }) => {
    acme = await createWorkspaceFixture(db, { slug: 'acme' });
    model = await startModelServer();
    store = await openPgStore({ url: db.url });
    engine = createEngine({
      store,
      executors: serverExecutors,
      workers: { concurrency: 2, leaseMs: 10_000, pollMs: 100 },
      waitPolicies: approvalWaitPolicies(),
    });
    await engine.start();
    return async () => {
      await engine.stop();
      await store.close();
      await model.close();
    };
  });

  test('runs end to end; the person answers through the API; the redacted value is in no event', async ({
    db,
  }) => {
    const spec = workflow<NodeConfigInputs>('triage')
      .owner('support')
      .trigger({ type: 'manual', input: { type: 'object', properties: { ticket: { type: 'string' } } } })
      .ai('draft', {
        provider: 'openai-compatible',
        model: 'fixture-model',
        baseUrl: model.url,
        prompt: 'Draft a reply to: {{ input.ticket }}',
      })
      .validator('scrub', { detectors: ['email'], onFailure: 'redact' })
      .human(
        'check',
        { role: 'operator', title: 'Check the reply', instructions: 'Is this reply fine to send?', form },
        { owner: 'ops' },
      )
      .output('done', {})
      .build(registry);
    model.script({ tokens: ['Write to ', SECRET_EMAIL, ' for your refund.'] });
    const { workflowId } = await publishSpec(db, acme, spec);
    const starter = createCaller(contextFor(asDatabase(db), userActor(acme, 'owner'), { engine }));
    const started = await starter.run.start({ workflowId, input: { ticket: 'Where is my refund?' } });

    const operator = createCaller(contextFor(asDatabase(db), userActor(acme, 'operator'), { engine }));
    const task = await until(async () =>
      (await operator.approval.list({ kind: 'human', mine: true })).find((t) => t.runId === started.runId),
    );
    const detail = await operator.approval.get({ runId: started.runId, nodeId: 'check' });
    expect(detail).toMatchObject({
      kind: 'human',
      mayDecide: true,
      title: 'Check the reply',
      payload: {
        instructions: 'Is this reply fine to send?',
        form,
        input: { text: 'Write to [REDACTED:email] for your refund.' },
      },
      task: { role: 'operator', form },
      findings: [expect.objectContaining({ nodeId: 'scrub', name: 'email', action: 'redact' })],
    });
    expect(JSON.stringify(detail)).not.toContain(SECRET_EMAIL);

    // A reviewer is not of the task's role; an answer that does not fit the form is refused.
    const reviewer = createCaller(contextFor(asDatabase(db), userActor(acme, 'reviewer'), { engine }));
    const ref = { runId: started.runId, nodeId: 'check', payloadHash: task.payloadHash };
    await expect(reviewer.approval.answer({ ...ref, answer: { approved: true } })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(operator.approval.answer({ ...ref, answer: { approved: 'yes' } })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/\/approved/),
    });

    const answer = { approved: true, note: 'fine to send' };
    expect(await operator.approval.answer({ ...ref, answer })).toEqual({ status: 'answered' });
    await expect(operator.approval.answer({ ...ref, answer })).rejects.toMatchObject({ code: 'CONFLICT' });
    const done = await engine.waitForRun(started.runId, { timeoutMs: 15_000 });
    expect(done).toMatchObject({ status: 'succeeded', output: answer });

    // The model was really called, over loopback, with the rendered prompt.
    expect(model.requests.at(-1)?.body?.messages.at(-1)).toMatchObject({
      content: expect.stringContaining('Where is my refund?'),
    });
    const events = await runEvents(db, started.runId);
    expect(JSON.stringify(events.map((e) => e.payload))).not.toContain(SECRET_EMAIL);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['step.waiting', 'wait.decided', 'handoff.inspected', 'run.succeeded']),
    );
    expect(events.find((e) => e.type === 'handoff.inspected')?.payload).toMatchObject({
      from: 'scrub',
      to: 'check',
      observed: 'public',
      blocked: false,
    });
  });
});

async function until<T>(find: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('nothing turned up in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
