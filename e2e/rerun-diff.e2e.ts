// A gate reached again after a rerun: an operator enters a refund, a reviewer approves it, the
// operator reruns the run from the entry and changes the amount; the reviewer's decision panel for
// the new attempt says what changed since attempt 1 (the path, the old and the new value), and the
// reviewer approves the new amount.
import { expect, type Page, test } from '@playwright/test';
import { callApi, importAndPublish, signIn } from './run-journeys';

const WORKFLOW = 'Refund with a second look';

/** Imports and publishes (as the owner) trigger → human entry (operators) → gate → output, unless it exists. */
async function publishRefundWorkflow(owner: Page): Promise<void> {
  const list = await callApi(owner, 'workflow.list', undefined, 'query');
  if (JSON.stringify(list.body).includes(WORKFLOW)) return;
  const node = (id: string, kind: string, label: string, x: number, config: Record<string, unknown>) => ({
    id,
    kind,
    typeVersion: 1,
    label,
    owner: 'support',
    position: { x, y: 80 },
    config,
  });
  const graph = {
    graphVersion: 1,
    metadata: {
      name: WORKFLOW,
      description: 'A person enters a refund; a reviewer approves it.',
      ownerTeam: 'support',
    },
    access: {
      trigger: ['owner', 'operator'],
      approve: ['owner', 'reviewer'],
      operate: ['owner', 'operator'],
      audit: ['owner', 'auditor'],
    },
    nodes: [
      {
        ...node('ticket', 'trigger', 'Refund asked for', 0, {
          type: 'manual',
          input: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
        }),
        classification: 'public',
      },
      node('enter', 'human', 'Enter the refund', 320, {
        role: 'operator',
        assignees: [],
        title: 'Refund entry',
        instructions: 'Enter the refund for order {{ input.order }}.',
        form: {
          type: 'object',
          properties: {
            amount: { type: 'number', minimum: 0, title: 'Amount' },
            payee: { type: 'string', maxLength: 200, title: 'Payee' },
          },
          required: ['amount', 'payee'],
        },
      }),
      node('refund_gate', 'gate', 'Refund review', 640, {
        tiers: [{ when: 'input.amount > 0.0', tier: 'review', reason: 'Every refund needs a reviewer' }],
        defaultTier: 'review',
        approvers: { roles: ['reviewer', 'owner'], users: [] },
        quorum: 1,
      }),
      node('refunded', 'output', 'Refund sent', 960, {}),
    ],
    edges: [
      { id: 'e1', source: 'ticket', sourceHandle: 'out', target: 'enter', targetHandle: 'in' },
      { id: 'e2', source: 'enter', sourceHandle: 'out', target: 'refund_gate', targetHandle: 'in' },
      { id: 'e3', source: 'refund_gate', sourceHandle: 'approved', target: 'refunded', targetHandle: 'in' },
    ],
  };
  await importAndPublish(owner, graph);
}

type Data<T> = { result: { data: T } };

/** The wait at `nodeId` as `page`'s member sees it, once it is open. */
async function openWait(page: Page, runId: string, nodeId: string): Promise<{ payloadHash: string }> {
  let hash = '';
  await expect
    .poll(async () => {
      const got = await callApi(page, 'approval.get', { runId, nodeId }, 'query');
      if (got.status !== 200) return `HTTP ${got.status}`;
      const data = (got.body as Data<{ status: string; payloadHash: string }>).result.data;
      hash = data.payloadHash;
      return data.status;
    })
    .toBe('open');
  return { payloadHash: hash };
}

async function answer(page: Page, runId: string, amount: number): Promise<void> {
  const { payloadHash } = await openWait(page, runId, 'enter');
  const answered = await callApi(
    page,
    'approval.answer',
    { runId, nodeId: 'enter', payloadHash, answer: { amount, payee: 'Ada Lovelace' } },
    'mutation',
  );
  expect(answered.status, JSON.stringify(answered.body)).toBe(200);
}

test('after a rerun, the reviewer sees what changed since the attempt approved before', async ({
  browser,
}) => {
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, 'owner');
  await publishRefundWorkflow(owner);

  const operator = await (await browser.newContext()).newPage();
  await signIn(operator, 'operator');
  const workflows = await callApi(operator, 'workflow.list', undefined, 'query');
  const workflowId = JSON.stringify(workflows.body).match(
    new RegExp(`"id":"([^"]+)","name":"${WORKFLOW}"`),
  )?.[1];
  if (!workflowId) throw new Error(`no ${WORKFLOW} in ${JSON.stringify(workflows.body).slice(0, 500)}`);
  const started = await callApi(
    operator,
    'run.start',
    { workflowId, input: { order: 'A-1001' } },
    'mutation',
  );
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const runId = (started.body as Data<{ runId: string }>).result.data.runId;

  // Attempt 1: 40, approved; the run finishes.
  await answer(operator, runId, 40);
  const reviewer = await (await browser.newContext()).newPage();
  await signIn(reviewer, 'reviewer');
  const first = await openWait(reviewer, runId, 'refund_gate');
  const decided = await callApi(
    reviewer,
    'approval.decide',
    { runId, nodeId: 'refund_gate', verdict: 'approve', comment: 'ok', payloadHash: first.payloadHash },
    'mutation',
  );
  expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  await expect
    .poll(async () => {
      const run = await callApi(operator, 'run.get', { id: runId }, 'query');
      return (run.body as Data<{ status: string }>).result?.data.status;
    })
    .toBe('succeeded');

  // The operator reruns from the entry and enters 55 instead: the gate asks again.
  const rerun = await callApi(
    operator,
    'run.rerun',
    { id: runId, nodeId: 'enter', reason: 'wrong amount' },
    'mutation',
  );
  expect(rerun.status, JSON.stringify(rerun.body)).toBe(200);
  await answer(operator, runId, 55);
  await openWait(reviewer, runId, 'refund_gate');

  await reviewer.goto(`/#/approvals/${runId}/refund_gate`);
  const panel = reviewer.getByRole('complementary', { name: /^Review:/ });
  await expect(panel.getByRole('heading', { name: 'Changed since attempt 1' })).toBeVisible();
  const changes = panel.getByRole('list', { name: 'Changes since attempt 1' });
  await expect(changes.getByRole('listitem')).toHaveCount(1);
  const change = changes.getByRole('listitem').first();
  await expect(change).toContainText('input.amount changed');
  await expect(change.getByLabel('before')).toHaveText('40');
  await expect(change.getByLabel('after')).toHaveText('55');
  // The earlier approval was on other data: the reviewer decides afresh.
  await expect(panel.getByText('Nobody has decided yet.')).toBeVisible();
  await panel.getByLabel('Comment').fill('55 matches the invoice.');
  await panel.getByRole('button', { name: 'Approve' }).click();
  await expect
    .poll(async () => {
      const run = await callApi(operator, 'run.get', { id: runId }, 'query');
      return (run.body as Data<{ status: string }>).result?.data.status;
    })
    .toBe('succeeded');
});
