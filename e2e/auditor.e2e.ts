// The auditor's journey: read a run's trail, verify its chain (valid), export it as JSON Lines; then
// one event row is tampered with in the database and "Verify" reports the break on the page.
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { dataDir } from './playwright.config';
import { signIn, startDemoRun } from './run-journeys';

/** The e2e server's embedded PostgreSQL, from the state file it writes on first start. */
async function database(): Promise<pg.Client> {
  const state = JSON.parse(await fs.readFile(path.join(dataDir, 'pg.json'), 'utf8')) as {
    port: number;
    password: string;
  };
  const client = new pg.Client({
    host: '127.0.0.1',
    port: state.port,
    user: 'postgres',
    password: state.password,
    database: 'sluice',
  });
  await client.connect();
  return client;
}

test('an auditor verifies a run’s chain, exports it, and sees a tampered row reported', async ({
  browser,
}) => {
  // An operator runs the demo workflow to the end.
  const operator = await browser.newPage();
  await signIn(operator, 'operator');
  const runId = await startDemoRun(operator);
  await expect(operator.getByRole('status').filter({ hasText: 'Finished' })).toBeVisible({ timeout: 20_000 });
  await operator.close();

  const page = await browser.newPage();
  await signIn(page, 'auditor');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Audit' }).click();
  await expect(page.getByRole('heading', { name: 'Workspace audit trail' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Audit events' })).toContainText('run.started');
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Chain valid' })).toBeVisible();

  // The run's own chain.
  await page.getByLabel('Run id (empty: the workspace)').fill(runId);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByRole('heading', { name: 'Audit trail of a run' })).toBeVisible();
  const events = page.getByRole('list', { name: 'Audit events' }).getByRole('listitem');
  await expect(events.first()).toContainText('run.succeeded');
  const count = await events.count();
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Chain valid: ${count} events` })).toBeVisible();

  // An event's detail: its payload and hashes, as text.
  await page.getByRole('button', { name: /^Event 1: run\.started$/ }).click();
  await expect(page.getByLabel('Payload')).toContainText('"version": 1');

  // Export: one JSON object per line, oldest first, one line per event.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON Lines' }).click();
  const file = await (await download).path();
  const lines = (await fs.readFile(file, 'utf8')).trim().split('\n');
  expect(lines).toHaveLength(count);
  expect(lines.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual(
    Array.from({ length: count }, (_, i) => i + 1),
  );

  // Someone with the database's superuser edits one event row behind the application's back (the
  // append-only trigger stops anyone else; a superuser can switch triggers off for a session).
  const db = await database();
  try {
    await db.query(`SET session_replication_role = replica`);
    const changed = await db.query(
      `UPDATE events SET payload = jsonb_set(payload::jsonb, '{version}', '99')::json WHERE run_id = $1 AND seq = 1`,
      [runId],
    );
    expect(changed.rowCount).toBe(1);
  } finally {
    await db.end();
  }
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByRole('alert')).toContainText('Chain broken at event #1');
});
