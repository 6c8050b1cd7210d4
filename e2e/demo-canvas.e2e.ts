import { expect, test } from '@playwright/test';

test('the server starts and the page shows the demo workflow on its canvas', async ({ page, request }) => {
  const health = await request.get('/healthz');
  expect(health.ok()).toBe(true);
  expect((await health.json()).database.ok).toBe(true);

  const consoleErrors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(error.message));

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Support ticket triage' })).toBeVisible();
  for (const kind of ['trigger', 'ai', 'validator', 'gate', 'output']) {
    await expect(page.locator(`[data-testid^="node-"][aria-label^="${kind} node"]`).first()).toBeVisible();
  }
  expect(consoleErrors).toEqual([]);
});
