// Reconnecting: the operator's browser drops off the network while a run is being watched and comes
// back; the view resumes after the last event it had, and ends in the run's real final state with
// every event in the timeline exactly once.
import { expect, test } from '@playwright/test';
import { signIn, startDemoRun, timelineSeqs } from './run-journeys';

const NODES = ['ticket', 'redact_pii', 'classify', 'refund_gate', 'result'];

test('the run view survives the network going away and coming back mid-run', async ({ page, context }) => {
  await signIn(page, 'operator');
  const runId = await startDemoRun(page);

  // As soon as the view has its first events, the network goes.
  await expect(page.getByRole('list', { name: 'Run events' }).getByRole('listitem').first()).toBeVisible();
  await context.setOffline(true);
  const seenOffline = (await timelineSeqs(page)).length;
  await expect(page.locator('.sl-live')).not.toHaveText('Live', { timeout: 10_000 });
  // A moment offline, while the server goes on with the run.
  await page.waitForTimeout(1500);
  await context.setOffline(false);

  await expect(page.locator('.sl-live')).toHaveText('Finished', { timeout: 20_000 });
  for (const node of NODES) {
    await expect(page.getByTestId(`run-node-${node}`)).toHaveAttribute('data-state', 'succeeded');
  }
  const seqs = await timelineSeqs(page);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  expect(seqs.length).toBeGreaterThanOrEqual(seenOffline);

  // The server's own count of the run's events matches what the timeline shows.
  const lastSeq = await page.evaluate(async (id) => {
    const response = await fetch(`/trpc/run.get?input=${encodeURIComponent(JSON.stringify({ id }))}`);
    const body = (await response.json()) as { result: { data: { lastSeq: number; status: string } } };
    return { lastSeq: body.result.data.lastSeq, status: body.result.data.status };
  }, runId);
  expect(lastSeq).toEqual({ lastSeq: seqs.length, status: 'succeeded' });
});
