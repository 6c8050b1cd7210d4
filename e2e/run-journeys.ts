/// <reference lib="dom" />
// Shared steps of the run journeys: signing in as a demo persona, starting the demo workflow from the
// runs page, and recording every overlay state each canvas node shows, in the order they are drawn.
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { dataDir } from './playwright.config';

export type Persona = 'owner' | 'editor' | 'operator' | 'reviewer' | 'auditor';

/** A demo member's email and password, written by the server's first start. */
export async function demoCredentials(role: Persona): Promise<{ email: string; password: string }> {
  const text = await fs.readFile(path.join(dataDir, 'demo-credentials.txt'), 'utf8');
  const match = new RegExp(`^${role}\\s+(\\S+)\\s+(\\S+)$`, 'm').exec(text);
  if (!match?.[1] || !match[2]) throw new Error(`no ${role} line in demo-credentials.txt`);
  return { email: match[1], password: match[2] };
}

export async function signIn(page: Page, role: Persona): Promise<void> {
  const who = await demoCredentials(role);
  await page.goto('/');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Demo workspace · ${role}`)).toBeVisible();
}

/** The demo ticket: a small order and no refund, so the gate lets it through on its own. */
export const demoTicket = {
  customerEmail: 'ada@example.test',
  subject: 'Where is my parcel?',
  body: 'Hello, my order has not arrived yet. Call me on +44 20 7946 0958.',
  orderTotal: '42.5',
};

/** Opens Runs, starts the demo workflow with `demoTicket`, and returns the new run's id. */
export async function startDemoRun(page: Page): Promise<string> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Runs' }).click();
  await page.getByRole('button', { name: 'Start a run' }).click();
  const form = page.getByRole('form', { name: 'Start Support ticket triage' });
  await form.getByLabel('Customer email').fill(demoTicket.customerEmail);
  await form.getByLabel('Subject').fill(demoTicket.subject);
  await form.getByLabel('Body').fill(demoTicket.body);
  await form.getByLabel('Order total').fill(demoTicket.orderTotal);
  await form.getByRole('button', { name: 'Start run' }).click();
  await expect(page).toHaveURL(/#\/runs\/[^/]+$/);
  const runId = /#\/runs\/([^/]+)$/.exec(page.url())?.[1];
  if (!runId) throw new Error(`no run id in ${page.url()}`);
  return decodeURIComponent(runId);
}

declare global {
  interface Window {
    /** Every (node, state) the run canvas drew, in order; filled by `recordOverlay`. */
    __overlay?: Array<{ node: string; state: string }>;
  }
}

/**
 * Before the page loads: watch the DOM and log each canvas node's `data-state` whenever it changes.
 * A MutationObserver sees every committed render, so a state drawn for one frame is logged too.
 */
export async function recordOverlay(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const log: Array<{ node: string; state: string }> = [];
    const last = new Map<string, string>();
    window.__overlay = log;
    const scan = () => {
      for (const element of document.querySelectorAll<HTMLElement>('[data-testid^="run-node-"]')) {
        const node = element.dataset.testid?.slice('run-node-'.length) ?? '';
        const state = element.dataset.state ?? '';
        if (last.get(node) === state) continue;
        last.set(node, state);
        log.push({ node, state });
      }
    };
    new MutationObserver(scan).observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });
}

/** The states each node went through, in order, from the recorder. */
export async function overlayHistory(page: Page): Promise<Array<{ node: string; state: string }>> {
  return page.evaluate(() => window.__overlay ?? []);
}

/** The timeline's sequence numbers as shown, checked to be 1..n once each. */
export async function timelineSeqs(page: Page): Promise<number[]> {
  return page
    .getByRole('list', { name: 'Run events' })
    .getByRole('listitem')
    .evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-seq'))));
}
