// Helpers shared by the editor's browser tests: signing in as a demo member, creating a workflow
// through the UI, and calling the API from inside the page (same origin, the session cookie).
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { dataDir } from './playwright.config';
import { submitSignIn } from './sign-in';

/** A demo member's email and password, written by the server's first start. */
export async function demoMember(role: string): Promise<{ email: string; password: string }> {
  const text = await fs.readFile(path.join(dataDir, 'demo-credentials.txt'), 'utf8');
  const match = new RegExp(`^${role}\\s+(\\S+)\\s+(\\S+)$`, 'm').exec(text);
  if (!match?.[1] || !match[2]) throw new Error(`no ${role} line in demo-credentials.txt`);
  return { email: match[1], password: match[2] };
}

/** Signs in through the sign-in page and waits for the workflow list. */
export async function signIn(page: Page, role = 'editor'): Promise<void> {
  const member = await demoMember(role);
  await page.goto('/');
  await page.getByLabel('Email').fill(member.email);
  await page.getByLabel('Password').fill(member.password);
  await submitSignIn(page, page.getByRole('heading', { name: 'Workflows', level: 1 }));
}

/** Creates a workflow through the list's form and waits for its editor; returns its id. */
export async function createWorkflow(page: Page, name: string, team = 'support'): Promise<string> {
  await page.getByRole('button', { name: 'New workflow' }).click();
  const form = page.getByRole('form', { name: 'New workflow' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Owner team').fill(team);
  await form.getByRole('button', { name: 'Create workflow' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  return workflowIdOf(page);
}

/** The id of the workflow open in the editor, from the URL. */
export function workflowIdOf(page: Page): string {
  const match = /#\/workflows\/([^/]+)/.exec(page.url());
  if (!match?.[1]) throw new Error(`no workflow in ${page.url()}`);
  return decodeURIComponent(match[1]);
}

/** A tRPC query from inside the page (the browser sends the session cookie). */
export async function query<T>(page: Page, procedure: string, input: unknown): Promise<T> {
  const data: unknown = await page.evaluate(
    async ({ procedure, input }) => {
      const response = await fetch(`/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`);
      const body = (await response.json()) as { result: { data: unknown } };
      if (!response.ok) throw new Error(JSON.stringify(body));
      return body.result.data;
    },
    { procedure, input },
  );
  // The shape is the router's output type; the assertions of each test check the values.
  return data as T;
}

/** A tRPC mutation from inside the page (the browser adds the Origin header the server checks). */
export async function mutate<T>(page: Page, procedure: string, input: unknown): Promise<T> {
  const data: unknown = await page.evaluate(
    async ({ procedure, input }) => {
      const response = await fetch(`/trpc/${procedure}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = (await response.json()) as { result: { data: unknown } };
      if (!response.ok) throw new Error(JSON.stringify(body));
      return body.result.data;
    },
    { procedure, input },
  );
  // The shape is the router's output type; the assertions of each test check the values.
  return data as T;
}

/** The canvas node of kind `kind` labelled `label`. */
export function step(page: Page, kind: string, label: string): Locator {
  return page.getByRole('group', { name: `${kind} node ${label}`, exact: true });
}

/** A locator's box once two reads a frame apart agree (the view may still be fitting itself). */
async function stableBox(locator: Locator) {
  let previous = await locator.boundingBox();
  for (let i = 0; i < 50; i += 1) {
    await locator.page().waitForTimeout(50);
    const box = await locator.boundingBox();
    if (box && previous && box.x === previous.x && box.y === previous.y && box.width === previous.width)
      return box;
    previous = box;
  }
  return previous;
}

/** Draws a wire from an output port to an input port by dragging between the two handles. */
export async function wire(page: Page, from: string, to: string): Promise<void> {
  const source = page.getByLabel(from, { exact: true });
  const target = page.getByLabel(to, { exact: true });
  const a = await stableBox(source);
  const b = await stableBox(target);
  if (!a || !b) throw new Error(`handle not visible: ${a ? to : from}`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Drags a palette item onto the canvas at (x, y) relative to the canvas's top-left corner. */
export async function dragFromPalette(page: Page, title: string, x: number, y: number): Promise<void> {
  const canvas = page.locator('.sl-editor__canvas');
  await page
    .getByRole('button', { name: `Add ${title}`, exact: true })
    .dragTo(canvas, { targetPosition: { x, y } });
}
