// Undo/redo, copy/paste and auto-layout in the editor, each through the keyboard or the toolbar.
import { expect, type Page, test } from '@playwright/test';
import { createWorkflow, signIn, step, wire } from './editor-support';

test.use({ viewport: { width: 1600, height: 1000 } });

const nodes = (page: Page) => page.locator('.react-flow__node');

test('undo and redo revert and replay additions, wires and edits, from the keyboard and the toolbar', async ({
  page,
}) => {
  await signIn(page);
  await createWorkflow(page, 'Undo drill');
  await expect(nodes(page)).toHaveCount(1);
  await page.getByRole('button', { name: 'Add AI step', exact: true }).click();
  await expect(nodes(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Add Output', exact: true }).click();
  await expect(nodes(page)).toHaveCount(3);
  await wire(page, 'output port out of ai AI step', 'input port in of output Output');
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);

  // A run of typing in one field is one step.
  await step(page, 'ai', 'AI step').click();
  const label = page.getByRole('region', { name: 'Inspector' }).getByLabel('Label', { exact: true });
  await label.fill('Draft reply');
  await expect(step(page, 'ai', 'Draft reply')).toBeVisible();

  await step(page, 'ai', 'Draft reply').click();
  await page.keyboard.press('Control+z');
  await expect(step(page, 'ai', 'AI step')).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(nodes(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Redo', exact: true }).click();
  await expect(nodes(page)).toHaveCount(3);
  await step(page, 'output', 'Output').click();
  await page.keyboard.press('Control+Shift+z');
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await page.keyboard.press('Control+y');
  await expect(step(page, 'ai', 'Draft reply')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Redo', exact: true })).toBeDisabled();

  // Deleting is undoable too.
  await step(page, 'output', 'Output').click();
  await page.keyboard.press('Delete');
  await expect(nodes(page)).toHaveCount(2);
  await page.keyboard.press('Control+z');
  await expect(nodes(page)).toHaveCount(3);
});

test('copy and paste duplicate the selected steps with the wires between them', async ({ page }) => {
  await signIn(page);
  await createWorkflow(page, 'Paste drill');
  await page.getByRole('button', { name: 'Add Validator', exact: true }).click();
  await page.getByRole('button', { name: 'Add Output', exact: true }).click();
  await wire(page, 'output port out of validator Validator', 'input port in of output Output');
  await step(page, 'validator', 'Validator').click();
  await step(page, 'output', 'Output').click({ modifiers: ['Control'] });
  await expect(page.getByRole('heading', { name: '2 steps selected' })).toBeVisible();
  await page.keyboard.press('Control+c');
  await expect(page.getByRole('status').filter({ hasText: 'Copied 2 step(s).' })).toBeVisible();
  await page.keyboard.press('Control+v');
  await expect(nodes(page)).toHaveCount(5);
  await expect(page.getByTestId('node-validator_2')).toBeVisible();
  await expect(page.getByTestId('node-output_2')).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  const edgeNames = await page
    .locator('.react-flow__edge')
    .evaluateAll((edges) => edges.map((e) => e.getAttribute('data-id')));
  expect(edgeNames).toContain('validator_2-out-output_2-in');
  // The pasted steps are the selection: copying them again and pasting gives a third pair.
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(nodes(page)).toHaveCount(7);
});

test('auto-layout places wired steps left to right without overlap', async ({ page }) => {
  await signIn(page);
  await createWorkflow(page, 'Layout drill');
  for (const title of ['AI step', 'Validator', 'Approval gate', 'Output'])
    await page.getByRole('button', { name: `Add ${title}`, exact: true }).click();
  await expect(nodes(page)).toHaveCount(5);
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Laid out the graph.' })).toBeVisible();
  await wire(page, 'output port out of trigger Start', 'input port in of ai AI step');
  await wire(page, 'output port out of ai AI step', 'input port in of validator Validator');
  await wire(page, 'output port out of validator Validator', 'input port in of gate Approval gate');
  await wire(page, 'output port approved of gate Approval gate', 'input port in of output Output');
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Laid out the graph.' })).toBeVisible();

  const order = ['node-start', 'node-ai_1', 'node-validator_1', 'node-gate_1', 'node-output_1'];
  await expect(async () => {
    const boxes = [];
    for (const id of order) {
      const box = await page.getByTestId(id).boundingBox();
      if (!box) throw new Error(`${id} is not visible`);
      boxes.push(box);
    }
    for (let i = 1; i < boxes.length; i += 1) {
      const left = boxes[i - 1];
      const right = boxes[i];
      if (!left || !right) throw new Error('missing box');
      expect(right.x).toBeGreaterThanOrEqual(left.x + left.width);
    }
  }).toPass();
  // Layout is one undo step.
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Redo', exact: true })).toBeEnabled();
});

test('a wire is picked by click or keyboard and deleted, a click on the empty canvas drops it, and the overview moves the canvas', async ({
  page,
}) => {
  await signIn(page);
  await createWorkflow(page, 'Wire drill');
  await page.getByRole('button', { name: 'Add Output', exact: true }).click();
  await expect(nodes(page)).toHaveCount(2);
  await wire(page, 'output port out of trigger Start', 'input port in of output Output');
  const edge = page.locator('.react-flow__edge');
  await expect(edge).toHaveCount(1);

  // A click on the middle of the wire selects it.
  const middle = await edge.locator('.react-flow__edge-path').evaluate((path) => {
    if (!(path instanceof SVGPathElement)) throw new Error('not a path');
    const point = path.getPointAtLength(path.getTotalLength() / 2);
    const matrix = path.getScreenCTM();
    if (!matrix) throw new Error('the wire is not drawn');
    const at = new DOMPoint(point.x, point.y).matrixTransform(matrix);
    return { x: at.x, y: at.y };
  });
  await page.mouse.click(middle.x, middle.y);
  await expect(edge).toHaveClass(/\bselected\b/);

  // A click on the empty canvas drops it.
  const canvas = await page.locator('.sl-editor__canvas').boundingBox();
  if (!canvas) throw new Error('no canvas');
  await page.mouse.click(canvas.x + 24, canvas.y + canvas.height / 2);
  await expect(edge).not.toHaveClass(/\bselected\b/);

  // From the keyboard: Enter picks the focused wire, Delete removes it, undo brings it back.
  await edge.focus();
  await page.keyboard.press('Enter');
  await expect(edge).toHaveClass(/\bselected\b/);
  await page.keyboard.press('Delete');
  await expect(edge).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(edge).toHaveCount(1);

  // Pressing a corner of the overview centres the canvas there.
  const viewport = page.locator('.react-flow__viewport');
  const before = await viewport.getAttribute('style');
  const overview = page.getByRole('img', { name: 'Overview of Wire drill' });
  const map = await overview.boundingBox();
  if (!map) throw new Error('no overview');
  await page.mouse.click(map.x + 8, map.y + 8);
  await expect(viewport).not.toHaveAttribute('style', before ?? '');
});

test('zoomed far out, steps are drawn light and can still be wired handle to handle', async ({ page }) => {
  await signIn(page);
  await createWorkflow(page, 'Far drill');
  await page.getByRole('button', { name: 'Add Output', exact: true }).click();
  await expect(nodes(page)).toHaveCount(2);
  const zoomOut = page.getByRole('button', { name: 'Zoom Out' });
  const far = page.locator('.sl-step--far');
  for (let i = 0; i < 12 && (await far.count()) < 2; i += 1) await zoomOut.click();
  await expect(far).toHaveCount(2);
  await wire(page, 'output port out of trigger Start', 'input port in of output Output');
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
  await expect(page.locator('.react-flow__edge')).toHaveAttribute('aria-label', /from Start to Output/);
});
