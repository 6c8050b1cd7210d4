// The operator's operations journey: a step hangs far past what its own history says it takes; the
// monitor flags the stall and the badge appears on that node of the open run page, live; the
// operator rolls back an earlier step (its compensation request reaches the service, and the
// compensation shows on the canvas and in the timeline), follows the badge to the alert, cancels the
// run, and the run's rollback plan lists what cannot be undone.
//
// The stall is the monitor's `stall.overdue` rule with its defaults (packages/db/src/monitor/stall.ts):
// a running step past max(5 × its p99, p99 + 10 s) once its node has 20 successful runs. So the test
// first runs the workflow 20 times against a loopback service that answers at once, then once more
// with the service holding the `check` call open.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Page, test } from '@playwright/test';
import { callApi, importAndPublish, signIn } from './run-journeys';

/** How many quick runs give the `check` node a history (the monitor's default `minSamples`). */
const HISTORY_RUNS = 20;

interface Service {
  host: string;
  /** While true, `/check` never answers. */
  hang: boolean;
  refunds: string[];
  close(): Promise<void>;
}

async function startService(): Promise<Service> {
  let charges = 0;
  const held = new Set<ServerResponse>();
  const service: Service = { host: '', hang: false, refunds: [], close: async () => undefined };
  const server: Server = createServer((req: IncomingMessage, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '';
      const json = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (path === '/charge') {
        charges += 1;
        json({ id: `ch_${charges}` });
      } else if (path === '/notify') {
        json({ sent: true });
      } else if (path === '/check') {
        if (service.hang) held.add(res);
        else json({ ok: true });
      } else if (path.startsWith('/refund/')) {
        const id = path.slice('/refund/'.length);
        service.refunds.push(id);
        // The node checks every answer of this service against its response schema, the undo's too.
        json({ id, refunded: true });
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  service.host = `127.0.0.1:${port}`;
  service.close = () =>
    new Promise((resolve) => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return service;
}

/** Imports and publishes: order → charge (undone by a refund) → notify (no undo) → check → done. */
async function publishChargeWorkflow(owner: Page, name: string, host: string): Promise<string> {
  const base = `http://${host}`;
  const node = (id: string, kind: string, label: string, x: number, config: Record<string, unknown>) => ({
    id,
    kind,
    typeVersion: 1,
    label,
    owner: 'billing',
    position: { x, y: 80 },
    classification: 'public',
    config,
  });
  const http = (path: string, extra: Record<string, unknown> = {}) => ({
    method: 'POST',
    url: `${base}${path}`,
    headers: {},
    allowHosts: [host],
    ...extra,
  });
  const graph = {
    graphVersion: 1,
    metadata: { name, description: 'Charge a card, tell the team, check stock.', ownerTeam: 'billing' },
    access: {
      trigger: ['owner', 'operator'],
      approve: ['owner', 'reviewer'],
      operate: ['owner', 'operator'],
      audit: ['owner', 'auditor'],
    },
    nodes: [
      node('order', 'trigger', 'Order placed', 0, {
        type: 'manual',
        input: { type: 'object', properties: { customer: { type: 'string' } }, required: ['customer'] },
      }),
      node(
        'charge',
        'http',
        'Charge card',
        280,
        http('/charge', {
          responseSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
          compensation: { method: 'POST', url: `${base}/refund/{{ output.body.id }}`, headers: {} },
        }),
      ),
      node('notify', 'http', 'Notify team', 560, http('/notify')),
      {
        ...node(
          'check',
          'http',
          'Check stock',
          840,
          http('/check', { limits: { timeoutMs: 300_000, maxResponseBytes: 100_000, maxRedirects: 0 } }),
        ),
        timeoutMs: 300_000,
      },
      node('done', 'output', 'Order done', 1120, {}),
    ],
    edges: [
      { id: 'e1', source: 'order', sourceHandle: 'out', target: 'charge', targetHandle: 'in' },
      { id: 'e2', source: 'charge', sourceHandle: 'out', target: 'notify', targetHandle: 'in' },
      { id: 'e3', source: 'notify', sourceHandle: 'out', target: 'check', targetHandle: 'in' },
      { id: 'e4', source: 'check', sourceHandle: 'out', target: 'done', targetHandle: 'in' },
    ],
  };
  return importAndPublish(owner, graph);
}

async function startRun(page: Page, workflowId: string, customer: string): Promise<string> {
  const started = await callApi(page, 'run.start', { workflowId, input: { customer } }, 'mutation');
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return (started.body as { result: { data: { runId: string } } }).result.data.runId;
}

let service: Service;
test.beforeAll(async () => {
  service = await startService();
});
test.afterAll(async () => {
  await service.close();
});

test('the operator sees a stall alert appear live on the run’s node, rolls back one step and sees its compensation run', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, 'owner');
  const name = `Card charge ${service.host}`;
  const workflowId = await publishChargeWorkflow(owner, name, service.host);

  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page, 'operator');

  // The history: quick runs, all succeeded.
  for (let i = 0; i < HISTORY_RUNS; i += 1) await startRun(page, workflowId, `customer ${i}`);
  await expect
    .poll(
      async () => {
        const list = await callApi(
          page,
          'run.list',
          { workflowId, status: ['succeeded'], limit: 100 },
          'query',
        );
        return (list.body as { result: { data: unknown[] } }).result.data.length;
      },
      { timeout: 60_000, intervals: [500] },
    )
    .toBe(HISTORY_RUNS);

  // The run that stalls: the service holds the check call open; the page is open before the alert.
  service.hang = true;
  const runId = await startRun(page, workflowId, 'Ada');
  await page.goto(`/#/runs/${runId}`);
  const check = page.getByTestId('run-node-check');
  await expect(check).toHaveAttribute('data-state', 'running');
  await expect(check.getByRole('link', { name: 'stall.overdue' })).toHaveCount(0);
  const badge = check.getByRole('link', { name: 'stall.overdue' });
  await expect(badge).toBeVisible({ timeout: 90_000 });
  await expect(check).toHaveAttribute('data-state', 'running');

  // Roll back the charge: the dialog says what will be undone before anything happens.
  await page.getByRole('button', { name: 'Charge card: Succeeded. Inspect step' }).click();
  const inspector = page.getByRole('complementary', { name: 'Step: Charge card' });
  await inspector.getByRole('button', { name: 'Roll back step' }).click();
  const dialog = page.getByRole('dialog', { name: 'Roll back Charge card?' });
  await expect(dialog.getByRole('list', { name: 'Will be undone' })).toContainText('Charge card');
  expect(service.refunds).toEqual([]);
  await dialog.getByRole('button', { name: 'Roll back step' }).click();
  await expect(dialog).toBeHidden();

  // Its compensation ran as a step of its own: shown on the canvas and in the timeline, and the
  // refund reached the service for the charge this run made.
  const charge = page.getByTestId('run-node-charge');
  await expect(charge).toHaveAttribute('data-state', 'compensated');
  await expect(charge).toContainText('Rolled back');
  const timeline = page.getByRole('list', { name: 'Run events' });
  await expect(timeline).toContainText('Charge card: rolling back (its compensation runs)');
  await expect(timeline).toContainText(/Charge card compensated in \d+ ms/);
  expect(service.refunds).toEqual([`ch_${HISTORY_RUNS + 1}`]);
  // The step that hangs was left as it is.
  await expect(check).toHaveAttribute('data-state', 'running');

  // The badge leads to the alert, still ongoing.
  await badge.click();
  await expect(page).toHaveURL(/#\/alerts\/[^/]+$/);
  const alert = page.getByRole('list', { name: 'Alerts' }).getByRole('listitem');
  await expect(alert).toHaveCount(1);
  await expect(alert).toContainText('stall.overdue');
  await expect(alert).toContainText('Ongoing');
  await expect(alert).toContainText('"check"');

  // Cancel the stalled run; its rollback plan then lists what cannot be undone.
  await page.goto(`/#/runs/${runId}`);
  await page.getByRole('button', { name: 'Cancel run' }).click();
  await page
    .getByRole('dialog', { name: 'Cancel this run?' })
    .getByRole('button', { name: 'Cancel run' })
    .click();
  await expect(check).toHaveAttribute('data-state', 'cancelled');
  await page.getByRole('button', { name: 'Roll back run' }).click();
  const plan = page.getByRole('dialog', { name: 'Roll back this run?' });
  await expect(plan.getByRole('list', { name: 'Not reversible' })).toContainText(
    'not reversible: Notify team (the node declares no compensation request)',
  );
  await expect(plan.getByRole('button', { name: 'Roll back run' })).toBeDisabled();
  await plan.getByRole('button', { name: 'Keep as it is' }).click();
  expect(service.refunds).toHaveLength(1);
  expect(errors).toEqual([]);
});
