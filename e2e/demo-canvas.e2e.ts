import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { dataDir } from './playwright.config';
import { submitSignIn } from './sign-in';

/** The demo owner's email and password, written by the server's first start. */
async function demoOwner(): Promise<{ email: string; password: string }> {
  const text = await fs.readFile(path.join(dataDir, 'demo-credentials.txt'), 'utf8');
  const match = /^owner\s+(\S+)\s+(\S+)$/m.exec(text);
  if (!match?.[1] || !match[2]) throw new Error('no owner line in demo-credentials.txt');
  return { email: match[1], password: match[2] };
}

test('the owner signs in and sees the demo workflow on its canvas, then signs out', async ({
  page,
  request,
}) => {
  const health = await request.get('/healthz');
  expect(health.ok()).toBe(true);
  expect((await health.json()).database.ok).toBe(true);

  const consoleErrors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(error.message));

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in to Sluice' })).toBeVisible();
  const owner = await demoOwner();

  // A wrong password is refused with a message, and the form stays.
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');

  await page.getByLabel('Password').fill(owner.password);
  await submitSignIn(page, page.getByText('Demo workspace · owner'));
  await page.getByRole('link', { name: 'Support ticket triage' }).click();
  await expect(page.getByRole('heading', { name: 'Support ticket triage', level: 1 })).toBeVisible();
  for (const kind of ['trigger', 'ai', 'validator', 'gate', 'output']) {
    await expect(page.locator(`[data-testid^="node-"][aria-label^="${kind} node"]`).first()).toBeVisible();
  }
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === '__Host-sluice.session')).toMatchObject({
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
  });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Sluice' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in to Sluice' })).toBeVisible();

  // The failed sign-in answers 401: Chromium logs that as a console error, which is expected here.
  expect(consoleErrors.filter((text) => !/status of 401/.test(text))).toEqual([]);
});
