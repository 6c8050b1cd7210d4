// A human task answered from its form: a run waits at a task for the operator role; the operator
// finds it in the inbox, reads the instructions (shown as text, never as HTML), is told what is
// missing or wrong before anything is sent, answers, and the run goes on with the answer as the
// step's output. A second run's task is answered from the waiting node on the run's canvas.
import { expect, type Page, test } from '@playwright/test';
import { callApi, importAndPublish, signIn } from './run-journeys';

const WORKFLOW = 'Stock check';

/** Imports and publishes (as the owner) trigger → human task (operators) → output, unless it exists. */
async function publishTaskWorkflow(owner: Page): Promise<void> {
  const list = await callApi(owner, 'workflow.list', undefined, 'query');
  if (JSON.stringify(list.body).includes(WORKFLOW)) return;
  const node = (id: string, kind: string, label: string, x: number, config: Record<string, unknown>) => ({
    id,
    kind,
    typeVersion: 1,
    label,
    owner: 'warehouse',
    position: { x, y: 80 },
    config,
  });
  const graph = {
    graphVersion: 1,
    metadata: { name: WORKFLOW, description: 'A person counts the shelf.', ownerTeam: 'warehouse' },
    access: {
      trigger: ['owner', 'operator'],
      approve: ['owner', 'reviewer'],
      operate: ['owner', 'operator'],
      audit: ['owner', 'auditor'],
    },
    nodes: [
      {
        ...node('order', 'trigger', 'Order placed', 0, {
          type: 'manual',
          input: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] },
        }),
        classification: 'public',
      },
      node('count', 'human', 'Count the shelf', 320, {
        role: 'operator',
        assignees: [],
        title: 'Shelf count',
        instructions:
          'Count what is on the shelf for {{ input.sku }}. <b>Do not</b> guess.\nSay if anything is damaged.',
        form: {
          type: 'object',
          properties: {
            decision: { type: 'string', enum: ['ship', 'hold'], title: 'Decision' },
            quantity: { type: 'integer', minimum: 1, title: 'Quantity on the shelf' },
            damaged: { type: 'boolean', title: 'Anything damaged' },
            notes: { type: 'string', maxLength: 2000, title: 'Notes' },
          },
          required: ['decision', 'quantity'],
        },
      }),
      node('done', 'output', 'Stock counted', 640, {}),
    ],
    edges: [
      { id: 'e1', source: 'order', sourceHandle: 'out', target: 'count', targetHandle: 'in' },
      { id: 'e2', source: 'count', sourceHandle: 'out', target: 'done', targetHandle: 'in' },
    ],
  };
  await importAndPublish(owner, graph);
}

/** Starts the task workflow through the API (as the signed-in page); returns the run id. */
async function startTaskRun(page: Page, sku: string): Promise<string> {
  const workflows = await callApi(page, 'workflow.list', undefined, 'query');
  const found = JSON.stringify(workflows.body).match(new RegExp(`"id":"([^"]+)","name":"${WORKFLOW}"`));
  const workflowId = found?.[1];
  if (!workflowId) throw new Error(`no ${WORKFLOW} in ${JSON.stringify(workflows.body).slice(0, 500)}`);
  const started = await callApi(page, 'run.start', { workflowId, input: { sku } }, 'mutation');
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return (started.body as { result: { data: { runId: string } } }).result.data.runId;
}

test('an operator answers a human task from its form and the run continues', async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, 'owner');
  await publishTaskWorkflow(owner);

  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, 'operator');
  const runId = await startTaskRun(page, 'ABC-123');

  // The inbox lists the task; opening it shows the instructions as text and the form.
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('link', { name: /^Approvals/ })
    .click();
  const item = page
    .getByRole('list', { name: 'Approval requests' })
    .getByRole('listitem')
    .filter({ hasText: 'Shelf count' });
  await expect(item).toContainText('Task');
  await expect(item).toContainText('You may decide');
  await item.getByRole('link', { name: 'Shelf count' }).click();
  const panel = page.getByRole('complementary', { name: 'Task: Shelf count' });
  const instructions = panel.getByLabel('Instructions');
  await expect(instructions).toContainText('for ABC-123. <b>Do not</b> guess.');
  await expect(instructions.locator('b')).toHaveCount(0);
  const form = panel.getByRole('form', { name: 'Answer the task' });

  // Sending it empty: each required field says so, and nothing is sent.
  await form.getByRole('button', { name: 'Send answer' }).click();
  await expect(form.getByText('Decision is required')).toBeVisible();
  await expect(form.getByText('Quantity on the shelf is required')).toBeVisible();
  // A value the schema refuses is caught next to its field.
  await form.getByLabel('Decision').selectOption('ship');
  await form.getByLabel('Quantity on the shelf').fill('0');
  await form.getByRole('button', { name: 'Send answer' }).click();
  await expect(form.getByText('Quantity on the shelf must be at least 1')).toBeVisible();
  await expect(form.getByText('Decision is required')).toHaveCount(0);

  await form.getByLabel('Quantity on the shelf').fill('12');
  await form.getByLabel('Anything damaged').check();
  await form.getByLabel('Notes').fill('One box dented.');
  await form.getByRole('button', { name: 'Send answer' }).click();
  await expect(panel.getByText(/^Answered /)).toBeVisible();

  // The run went on: the task's step holds the answer, and the run succeeded.
  await page.goto(`/#/runs/${runId}/steps/count`);
  await expect(page.getByTestId('run-node-done')).toHaveAttribute('data-state', 'succeeded');
  await expect(page.getByTestId('run-node-count')).toHaveAttribute('data-state', 'succeeded');
  const inspector = page.getByRole('complementary', { name: 'Step: Count the shelf' });
  await expect(inspector.getByLabel('Output')).toContainText('"quantity": 12');
  await expect(inspector.getByLabel('Output')).toContainText('"damaged": true');
  await expect(page.getByRole('list', { name: 'Run events' })).toContainText('Count the shelf answered');

  // A second run: its waiting task node on the canvas opens the same form.
  const second = await startTaskRun(page, 'XYZ-9');
  await page.goto(`/#/runs/${second}`);
  const waiting = page.getByRole('button', { name: 'Count the shelf: Waiting for an answer. Inspect step' });
  await waiting.click();
  const taskPanel = page.getByRole('complementary', { name: 'Task: Shelf count' });
  await expect(taskPanel.getByLabel('Instructions')).toContainText('for XYZ-9.');
  const onCanvas = taskPanel.getByRole('form', { name: 'Answer the task' });
  await onCanvas.getByLabel('Decision').selectOption('hold');
  await onCanvas.getByLabel('Quantity on the shelf').fill('3');
  await onCanvas.getByRole('button', { name: 'Send answer' }).click();
  await expect(page.getByTestId('run-node-done')).toHaveAttribute('data-state', 'succeeded');
  expect(errors).toEqual([]);
});
