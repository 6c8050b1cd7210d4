// The reviewer's journey: a run waits at a gate; the reviewer finds it in the inbox (with its count in
// the navigation), opens the waiting gate on the run's canvas, reads the payload and the rule, and
// approves with a comment; the operator's open page sees the run continue to the end.
import { expect, test } from '@playwright/test';
import { publishReviewWorkflow, signIn, startReviewRun } from './run-journeys';

test('a reviewer approves a waiting gate and the operator watches the run continue', async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, 'owner');
  await publishReviewWorkflow(owner);

  const operator = await (await browser.newContext()).newPage();
  await signIn(operator, 'operator');
  const runId = await startReviewRun(operator, 'Ada Lovelace', '250');
  const gate = operator.getByTestId('run-node-payout_gate');
  await expect(gate).toHaveAttribute('data-state', 'waiting');
  await expect(gate).toContainText('Waiting for approval');

  const reviewer = await (await browser.newContext()).newPage();
  await signIn(reviewer, 'reviewer');
  const nav = reviewer.getByRole('navigation', { name: 'Sections' });
  await expect(nav.getByRole('link', { name: /Approvals\s*\d+ waiting for you/ })).toBeVisible();
  await nav.getByRole('link', { name: /^Approvals/ }).click();
  const inbox = reviewer.getByRole('list', { name: 'Approval requests' });
  const item = inbox.getByRole('listitem').filter({ hasText: 'Payout approval' }).first();
  await expect(item).toContainText('You may decide');
  // From the inbox to the run, then the waiting gate on its canvas.
  await item.getByRole('link', { name: 'open the run' }).click();
  await expect(reviewer).toHaveURL(new RegExp(`#/runs/${runId}/steps/payout_gate$`));
  await reviewer.getByRole('button', { name: 'Payout review: Waiting for approval. Inspect step' }).click();
  const panel = reviewer.getByRole('complementary', { name: /^Review:/ });
  await expect(panel.getByLabel('Payload').first()).toContainText('Ada Lovelace');
  await expect(panel.getByLabel('Rule that matched')).toContainText('Every payout needs a reviewer');
  await expect(panel.getByText('0 of 1')).toBeVisible();
  await panel.getByLabel('Comment').fill('Checked the payee against the contract.');
  await panel.getByRole('button', { name: 'Approve' }).click();

  // The operator's page, left open, follows the run to its end.
  await expect(gate).toHaveAttribute('data-state', 'succeeded');
  await expect(operator.getByTestId('run-node-paid')).toHaveAttribute('data-state', 'succeeded');
  await expect(operator.locator('.sl-live')).toHaveText('Finished');
  // The reviewer's view shows the step's result, and the decision is in the trail.
  await expect(reviewer.getByTestId('run-node-payout_gate')).toHaveAttribute('data-state', 'succeeded');
});
