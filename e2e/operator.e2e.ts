// The operator's journey: start the demo workflow from a form generated from its trigger schema, watch
// the canvas light up node by node (every state recorded as it is drawn), open a step and read its
// output, and find the run in the runs list.
import { expect, test } from '@playwright/test';
import {
  overlayHistory,
  publishReviewWorkflow,
  recordOverlay,
  signIn,
  startDemoRun,
  startReviewRun,
  timelineSeqs,
} from './run-journeys';

/** The demo's steps in graph order; the trigger is settled by the engine itself. */
const ORDER = ['ticket', 'redact_pii', 'classify', 'refund_gate', 'result'];

test('an operator starts the demo workflow and watches it run node by node', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await recordOverlay(page);
  await signIn(page, 'operator');
  const runId = await startDemoRun(page);

  await expect(page.getByRole('heading', { name: 'Support ticket triage', level: 1 })).toBeVisible();
  await expect(page.getByText('Succeeded', { exact: true }).first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('5 of 5 steps · 100%')).toBeVisible();

  // Every node ends succeeded…
  for (const node of ORDER) {
    await expect(page.getByTestId(`run-node-${node}`)).toHaveAttribute('data-state', 'succeeded');
  }
  // …having been drawn pending first, then (for worker steps) running, then succeeded, in graph order.
  const history = await overlayHistory(page);
  const statesOf = (node: string) => history.filter((h) => h.node === node).map((h) => h.state);
  for (const node of ORDER) {
    const states = statesOf(node);
    expect(states[0], `${node} starts pending`).toBe('pending');
    expect(states.at(-1), `${node} ends succeeded`).toBe('succeeded');
  }
  // The model call is the step a worker runs (the others are settled by the engine inline): it is
  // drawn running, with time passing, before it is drawn succeeded.
  const classify = statesOf('classify');
  expect(classify.indexOf('running'), 'classify was drawn running').toBeGreaterThan(0);
  expect(classify.indexOf('running')).toBeLessThan(classify.lastIndexOf('succeeded'));
  const finished = ORDER.map((node) => history.findIndex((h) => h.node === node && h.state === 'succeeded'));
  expect(finished, 'nodes succeed in graph order').toEqual([...finished].sort((a, b) => a - b));
  const started = history.findIndex((h) => h.node === 'classify' && h.state === 'running');
  expect(started).toBeGreaterThan(
    history.findIndex((h) => h.node === 'redact_pii' && h.state === 'succeeded'),
  );

  // The timeline lists each event once, in order.
  const seqs = await timelineSeqs(page);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  expect(seqs.length).toBeGreaterThanOrEqual(6);

  // Open the AI step: its output, the model and the prompt it was given.
  await page.getByRole('button', { name: 'Classify ticket: Succeeded. Inspect step' }).click();
  await expect(page).toHaveURL(new RegExp(`#/runs/${runId}/steps/classify$`));
  const inspector = page.getByRole('complementary', { name: 'Step: Classify ticket' });
  await expect(inspector.getByLabel('Output')).toContainText('"category": "billing"');
  await expect(inspector.getByText('offline-demo')).toBeVisible();
  await expect(inspector.getByLabel('Rendered prompt')).toContainText('Where is my parcel?');
  await expect(inspector.getByRole('table')).toContainText('succeeded');

  // The validator step shows what it found and its redacted output.
  await page.getByRole('button', { name: 'Redact personal data: Succeeded. Inspect step' }).click();
  const validator = page.getByRole('complementary', { name: 'Step: Redact personal data' });
  await expect(validator.getByLabel('Output')).not.toContainText('ada@example.test');

  // The runs list shows the run, succeeded.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Runs' }).click();
  const row = page.getByTestId(`run-row-${runId}`);
  await expect(row).toContainText('Succeeded');
  await expect(row).toContainText('Demo operator');
  expect(errors).toEqual([]);
});

test('an operator cancels a run waiting at a gate, after confirming, and the trail records it', async ({
  browser,
}) => {
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, 'owner');
  await publishReviewWorkflow(owner);

  const page = await (await browser.newContext()).newPage();
  await signIn(page, 'operator');
  const runId = await startReviewRun(page, 'Ada Lovelace', '120');
  await expect(page.getByTestId('run-node-payout_gate')).toHaveAttribute('data-state', 'waiting');

  await page.getByRole('button', { name: 'Cancel run' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this run?' });
  // Dismissing changes nothing.
  await dialog.getByRole('button', { name: 'Keep running' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('run-node-payout_gate')).toHaveAttribute('data-state', 'waiting');

  await page.getByRole('button', { name: 'Cancel run' }).click();
  await dialog.getByLabel('Reason (optional)').fill('Duplicate payout request');
  await dialog.getByRole('button', { name: 'Cancel run' }).click();
  await expect(page.getByTestId('run-node-payout_gate')).toHaveAttribute('data-state', 'cancelled');
  await expect(page.getByRole('list', { name: 'Run events' })).toContainText(
    'Run cancelled: Duplicate payout request',
  );
  await expect(page.getByRole('button', { name: 'Cancel run' })).toBeHidden();

  // The owner finds the request in the workspace's trail.
  await owner.goto('/#/audit');
  await owner.getByLabel('Event type').fill('run.cancel_requested');
  await owner.getByRole('button', { name: 'Apply filters' }).click();
  await owner
    .getByRole('button', { name: /run\.cancel_requested$/ })
    .first()
    .click();
  await expect(owner.getByLabel('Payload')).toContainText(runId);
});
