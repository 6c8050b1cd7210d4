/// <reference lib="dom" />
// Shared steps of the run journeys: signing in as a demo persona, starting the demo workflow from the
// runs page, and recording every overlay state each canvas node shows, in the order they are drawn.
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { dataDir } from './playwright.config';
import { submitSignIn } from './sign-in';

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
  await submitSignIn(page, page.getByText(`Demo workspace · ${role}`));
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
  await page
    .getByRole('region', { name: 'Start a run' })
    .getByRole('combobox', { name: 'Workflow' })
    .selectOption({ label: 'Support ticket triage' });
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

/** Calls a tRPC procedure from the signed-in page (same origin, its session cookie). */
export async function callApi(
  page: Page,
  procedure: string,
  input: unknown,
  kind: 'query' | 'mutation',
): Promise<{ status: number; body: unknown }> {
  return page.evaluate(
    async ({ procedure, input, kind }) => {
      const response =
        kind === 'query'
          ? await fetch(`/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`)
          : await fetch(`/trpc/${procedure}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(input),
            });
      return { status: response.status, body: (await response.json()) as unknown };
    },
    { procedure, input, kind },
  );
}

export const REVIEW_WORKFLOW = 'Payout approval';

/**
 * Imports and publishes (as the signed-in owner) a workflow whose gate always asks a reviewer, unless
 * it exists already: trigger → gate (review by reviewers or owners) → output.
 */
export async function publishReviewWorkflow(owner: Page): Promise<void> {
  const list = await callApi(owner, 'workflow.list', undefined, 'query');
  if (JSON.stringify(list.body).includes(REVIEW_WORKFLOW)) return;
  const node = (id: string, kind: string, label: string, x: number, config: Record<string, unknown>) => ({
    id,
    kind,
    typeVersion: 1,
    label,
    owner: 'payments',
    position: { x, y: 80 },
    config,
  });
  const graph = {
    graphVersion: 1,
    metadata: {
      name: REVIEW_WORKFLOW,
      description: 'Every payout waits for a reviewer.',
      ownerTeam: 'payments',
    },
    access: {
      trigger: ['owner', 'operator'],
      approve: ['owner', 'reviewer'],
      operate: ['owner', 'operator'],
      audit: ['owner', 'auditor'],
    },
    nodes: [
      node('request', 'trigger', 'Payout requested', 0, {
        type: 'manual',
        input: {
          type: 'object',
          properties: { payee: { type: 'string' }, amount: { type: 'number' } },
          required: ['payee', 'amount'],
        },
      }),
      node('payout_gate', 'gate', 'Payout review', 320, {
        tiers: [{ when: 'input.amount > 0.0', tier: 'review', reason: 'Every payout needs a reviewer' }],
        defaultTier: 'review',
        approvers: { roles: ['reviewer', 'owner'], users: [] },
        quorum: 1,
      }),
      node('paid', 'output', 'Payout sent', 640, {}),
    ],
    edges: [
      { id: 'e1', source: 'request', sourceHandle: 'out', target: 'payout_gate', targetHandle: 'in' },
      { id: 'e2', source: 'payout_gate', sourceHandle: 'approved', target: 'paid', targetHandle: 'in' },
    ],
  };
  await importAndPublish(owner, graph);
}

/** Imports `graph` as a new workflow and publishes it, as `owner` through the API; returns its id. */
export async function importAndPublish(owner: Page, graph: unknown): Promise<string> {
  const imported = await callApi(
    owner,
    'workflow.import',
    { document: { format: 'sluice.workflow/v1', exportedAt: new Date().toISOString(), graph } },
    'mutation',
  );
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  const id = (imported.body as { result: { data: { id: string } } }).result.data.id;
  const published = await callApi(owner, 'workflow.publish', { id }, 'mutation');
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  return id;
}

/** Starts the review workflow from the runs page; returns the run id. */
export async function startReviewRun(page: Page, payee: string, amount: string): Promise<string> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Runs' }).click();
  await page.getByRole('button', { name: 'Start a run' }).click();
  await page
    .getByRole('region', { name: 'Start a run' })
    .getByRole('combobox', { name: 'Workflow' })
    .selectOption({ label: REVIEW_WORKFLOW });
  const form = page.getByRole('form', { name: `Start ${REVIEW_WORKFLOW}` });
  await form.getByLabel('Payee').fill(payee);
  await form.getByLabel('Amount').fill(amount);
  await form.getByRole('button', { name: 'Start run' }).click();
  await expect(page).toHaveURL(/#\/runs\/[^/]+$/);
  const runId = /#\/runs\/([^/]+)$/.exec(page.url())?.[1];
  if (!runId) throw new Error(`no run id in ${page.url()}`);
  return decodeURIComponent(runId);
}
