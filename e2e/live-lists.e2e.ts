// Live lists: the operator's open runs list and alerts page change when the workspace does, told by
// the `workspace.news` stream, not by their fallback poll (set to ten minutes here, so anything that
// shows within the test's few seconds came through the stream).
// - a run started through the API by another member appears in the open runs list;
// - an agent token reaching outside its scope raises an alert, which appears on the open alerts page.
import { expect, type Page, test } from '@playwright/test';
import { callApi, demoTicket, signIn } from './run-journeys';

/** Lists poll on their own only every ten minutes in this test (see apps/web/src/live/fallback-poll.ts). */
async function slowFallback(page: Page): Promise<void> {
  await page.addInitScript(() => localStorage.setItem('sluice.fallbackPollMs', String(600_000)));
}

async function workflowId(page: Page, name: string): Promise<string> {
  const list = await callApi(page, 'workflow.list', undefined, 'query');
  const rows = (list.body as { result: { data: Array<{ id: string; name: string }> } }).result.data;
  const found = rows.find((row) => row.name === name);
  if (!found) throw new Error(`no workflow named ${name}`);
  return found.id;
}

test('a run started through the API appears in the open runs list, an alert on the alerts page', async ({
  browser,
}) => {
  const operatorContext = await browser.newContext();
  const ownerContext = await browser.newContext();
  try {
    const operator = await operatorContext.newPage();
    await slowFallback(operator);
    await signIn(operator, 'operator');
    await operator.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Runs' }).click();
    const runs = operator.getByRole('table', { name: 'Runs' }).or(operator.getByText('No runs'));
    await expect(runs.first()).toBeVisible();

    const owner = await ownerContext.newPage();
    await signIn(owner, 'owner');
    const started = await callApi(
      owner,
      'run.start',
      {
        workflowId: await workflowId(owner, 'Support ticket triage'),
        input: { ...demoTicket, orderTotal: Number(demoTicket.orderTotal) },
      },
      'mutation',
    );
    expect(started.status).toBe(200);
    const runId = (started.body as { result: { data: { runId: string } } }).result.data.runId;
    await expect(operator.getByTestId(`run-row-${runId}`)).toBeVisible();

    await operator
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Alerts' })
      .click();
    // Loaded (the list, or the word that there is none) before the alert is raised.
    await expect(
      operator.getByRole('list', { name: 'Alerts' }).or(operator.getByText('No open alerts')).first(),
    ).toBeVisible();
    const name = `live-lists-${Date.now().toString(36)}`;
    const created = await callApi(
      owner,
      'token.create',
      { name, actions: ['run:read'], expiresInDays: 1 },
      'mutation',
    );
    const token = (created.body as { result: { data: { token: string } } }).result.data.token;
    const refused = await owner.request.get('/trpc/alert.list?input=' + encodeURIComponent('{}'), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(refused.status()).toBe(403);
    await expect(operator.getByText(`API token "${name}" tried alert.list`)).toBeVisible();
  } finally {
    await operatorContext.close();
    await ownerContext.close();
  }
});
