// The founder's journey in the editor: drag steps from the palette, wire them, meet the errors the
// compiler finds (a refused wire, sensitive data to an external model), apply the offered fix,
// configure the gate, publish, and find exactly the drawn design in the published spec.
import { expect, test } from '@playwright/test';
import { createWorkflow, dragFromPalette, query, signIn, step, wire } from './editor-support';

test.use({ viewport: { width: 1600, height: 1000 } });

interface Exported {
  graph: { nodes: Array<{ id: string }> };
  published?: {
    version: number;
    hash: string;
    spec: {
      trigger: { id: string; label: string };
      nodes: Record<string, { kind: string; label: string; owner: string; config: Record<string, unknown> }>;
      edges: Array<{ from: { node: string; port: string }; to: { node: string; port: string } }>;
    };
  };
}

test('an editor drags, wires, fixes, configures and publishes; the published spec is what was drawn', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await signIn(page, 'editor');
  const id = await createWorkflow(page, 'Answer drafting', 'support');
  await expect(step(page, 'trigger', 'Start')).toBeVisible();

  await dragFromPalette(page, 'AI step', 150, 130);
  await dragFromPalette(page, 'Validator', 560, 130);
  await dragFromPalette(page, 'Approval gate', 900, 330);
  await dragFromPalette(page, 'Output', 900, 760);
  for (const [kind, label] of [
    ['ai', 'AI step'],
    ['validator', 'Validator'],
    ['gate', 'Approval gate'],
    ['output', 'Output'],
  ] as const)
    await expect(step(page, kind, label)).toBeVisible();

  await wire(page, 'output port out of trigger Start', 'input port in of ai AI step');
  await wire(page, 'output port out of ai AI step', 'input port in of validator Validator');
  await wire(page, 'output port out of validator Validator', 'input port in of gate Approval gate');
  await wire(page, 'output port approved of gate Approval gate', 'input port in of output Output');
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);

  // Internal data from the trigger into a model at an external provider: an error on that wire.
  const egress = page.getByRole('button', { name: /^error SL501 at wire Start → AI step/ });
  await expect(egress).toBeVisible();
  await expect(page.locator('.react-flow__edge.sl-edge--error')).toHaveCount(1);

  // A wire back upstream is refused, and the editor says why.
  await wire(page, 'output port out of validator Validator', 'input port in of ai AI step');
  await expect(page.getByRole('alert')).toContainText('Cannot connect: this wire would make a loop');
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);

  // The offered fix puts a redacting validator into the wire.
  await page.getByRole('button', { name: 'Insert a redactor (guarantees public)' }).first().click();
  await expect(step(page, 'validator', 'Redact sensitive data')).toBeVisible();
  await expect(egress).toHaveCount(0);
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);

  // The model's credential, from the problem that asks for it.
  await page.getByRole('button', { name: /^error SL701 at AI step/ }).click();
  const inspector = page.getByRole('region', { name: 'Inspector' });
  await expect(inspector.getByLabel('Credential')).toBeFocused();
  await inspector.getByLabel('Credential').fill('openai-prod');

  // The gate's rule.
  await step(page, 'gate', 'Approval gate').click();
  await page.getByRole('button', { name: 'Add to tier rules' }).click();
  await inspector.getByLabel('Then', { exact: true }).selectOption('review');
  await inspector.getByLabel('Reason', { exact: true }).fill('Long answers need a second look');
  // A syntax error shows inline at the expression, and goes once it is corrected.
  const when = inspector.getByLabel('When', { exact: true });
  await when.fill('input.text.size( > 2000');
  await expect(when).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: /^error SL401 at Approval gate/ })).toBeVisible();
  await when.fill('input.text.size() > 2000');
  await expect(when).not.toHaveAttribute('aria-invalid', 'true');

  const publish = page.getByRole('button', { name: 'Publish' });
  await expect(publish).toBeEnabled();
  await publish.click();
  await expect(page.getByRole('status').filter({ hasText: 'Published version 1.' })).toBeVisible();

  // What the canvas shows...
  const drawnNodes = await page.locator('.react-flow__node [data-testid^="node-"]').evaluateAll((elements) =>
    elements.map((e) => ({
      id: e.getAttribute('data-testid')?.slice(5),
      name: e.getAttribute('aria-label'),
    })),
  );
  const drawnEdges = await page
    .locator('.react-flow__edge')
    .evaluateAll((elements) => elements.map((e) => e.getAttribute('aria-label') ?? ''));

  // ...is what was published.
  const exported = await query<Exported>(page, 'workflow.export', { id, version: 1 });
  const spec = exported.published?.spec;
  if (!spec) throw new Error('version 1 has no spec');
  const labelOf = (nodeId: string) =>
    nodeId === spec.trigger.id ? spec.trigger.label : (spec.nodes[nodeId]?.label ?? nodeId);
  const specNodes = [
    { id: spec.trigger.id, name: `trigger node ${spec.trigger.label}` },
    ...Object.entries(spec.nodes).map(([nodeId, n]) => ({ id: nodeId, name: `${n.kind} node ${n.label}` })),
  ];
  expect(new Set(specNodes.map((n) => JSON.stringify(n)))).toEqual(
    new Set(drawnNodes.map((n) => JSON.stringify(n))),
  );
  expect(specNodes.map((n) => n.name).sort()).toEqual(
    [
      'ai node AI step',
      'gate node Approval gate',
      'output node Output',
      'trigger node Start',
      'validator node Redact sensitive data',
      'validator node Validator',
    ].sort(),
  );
  const specEdges = spec.edges.map((e) => `${labelOf(e.from.node)} → ${labelOf(e.to.node)}`).sort();
  expect(specEdges).toEqual(
    [
      'AI step → Validator',
      'Approval gate → Output',
      'Redact sensitive data → AI step',
      'Start → Redact sensitive data',
      'Validator → Approval gate',
    ].sort(),
  );
  expect(drawnEdges.map((label) => label.replace(/^\w+ data from (.*) to (.*)$/, '$1 → $2')).sort()).toEqual(
    specEdges,
  );
  const gate = Object.values(spec.nodes).find((n) => n.kind === 'gate');
  expect(gate?.config.tiers).toEqual([
    { when: 'input.text.size() > 2000', tier: 'review', reason: 'Long answers need a second look' },
  ]);
  const ai = Object.values(spec.nodes).find((n) => n.kind === 'ai');
  expect(ai?.config).toMatchObject({ provider: 'openai', credential: 'openai-prod' });
  const redactor = Object.values(spec.nodes).find((n) => n.label === 'Redact sensitive data');
  expect(redactor?.config).toMatchObject({ onFailure: 'redact', guarantees: 'public' });
  expect(pageErrors).toEqual([]);
});
