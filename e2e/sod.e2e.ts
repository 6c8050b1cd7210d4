// Separation of duties: whoever started a run may not approve it. The initiator (an owner, who is
// otherwise an approver) sees the decision buttons disabled with the reason, and the API refuses a
// decision forced past the page.
import { expect, test } from '@playwright/test';
import { callApi, publishReviewWorkflow, signIn, startReviewRun } from './run-journeys';

test('the initiator may not approve their own run, on the page or through the API', async ({ page }) => {
  await signIn(page, 'owner');
  await publishReviewWorkflow(page);
  const runId = await startReviewRun(page, 'Grace Hopper', '900');
  await expect(page.getByTestId('run-node-payout_gate')).toHaveAttribute('data-state', 'waiting');
  await page.getByRole('button', { name: 'Payout review: Waiting for approval. Inspect step' }).click();

  const panel = page.getByRole('complementary', { name: /^Review:/ });
  await expect(panel.getByRole('note')).toContainText('you started this run');
  await expect(panel.getByRole('button', { name: 'Approve' })).toBeDisabled();
  await expect(panel.getByRole('button', { name: 'Reject' })).toBeDisabled();

  const review = await callApi(page, 'approval.get', { runId, nodeId: 'payout_gate' }, 'query');
  const payloadHash = (review.body as { result: { data: { payloadHash: string } } }).result.data.payloadHash;
  const forced = await callApi(
    page,
    'approval.decide',
    { runId, nodeId: 'payout_gate', verdict: 'approve', comment: 'forcing it', payloadHash },
    'mutation',
  );
  expect(forced.status).toBe(403);
  expect(JSON.stringify(forced.body)).toContain('you started this run');
  await expect(page.getByTestId('run-node-payout_gate')).toHaveAttribute('data-state', 'waiting');
});
