// Stored XSS: 300 hostile payloads saved as step labels, descriptions and prompts (and the
// workflow's name) render as inert text everywhere the editor shows them. Any dialog, any script
// that runs, any element a payload smuggles in, or any CSP violation fails the test.
import { expect, test } from '@playwright/test';
import { mutate, signIn } from './editor-support';

const VECTORS = [
  '<script>globalThis.__pwned=1</script>',
  '<img src=x onerror="globalThis.__pwned=1">',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  '<body onload=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror=alert(1)></video>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<style>@import "https://evil.example/x.css";</style>',
  '<link rel=stylesheet href=https://evil.example/x.css>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '"><img src=x onerror=alert(1)>',
  "'><svg/onload=alert(1)>",
  '</textarea><script>alert(1)</script>',
  '</title><script>alert(1)</script>',
  '{{constructor.constructor("alert(1)")()}}',
  '${alert(1)}',
  '<div style="background:url(javascript:alert(1))">x</div>',
  'javascript:alert(1)',
  '<base href="https://evil.example/">',
  '<form action="https://evil.example"><button>go</button></form>',
  '<marquee onstart=alert(1)>x</marquee>',
  '\u202e<img src=x onerror=alert(1)>',
  '<template><img src=x onerror=alert(1)></template>',
];

/** 300 distinct payloads: each vector with 10 different suffixes. */
function payloads(): string[] {
  const out: string[] = [];
  for (let round = 0; round < 10; round += 1)
    for (const vector of VECTORS) out.push(`${vector} #${round}`.slice(0, 200));
  return out;
}

test('300 stored XSS payloads in labels, descriptions and prompts render as inert text', async ({ page }) => {
  test.setTimeout(120_000);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript(
    "globalThis.__violations = []; document.addEventListener('securitypolicyviolation', (e) => globalThis.__violations.push(e.violatedDirective + ' ' + e.blockedURI));",
  );
  await signIn(page);

  const hostile = payloads();
  expect(new Set(hostile).size).toBe(300);
  const graph = {
    graphVersion: 1,
    metadata: {
      name: '<img src=x onerror=alert(1)> XSS drill',
      description: hostile[0],
      ownerTeam: 'support',
    },
    access: { trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] },
    nodes: [
      {
        id: 'start',
        kind: 'trigger',
        typeVersion: 1,
        label: 'Start',
        owner: 'support',
        position: { x: 0, y: 0 },
        config: { type: 'manual', input: { type: 'object', properties: {} } },
      },
      ...hostile.map((text, i) => ({
        id: `ai_${i}`,
        kind: 'ai',
        typeVersion: 1,
        label: text,
        description: text,
        owner: 'support',
        position: { x: (i % 20) * 300, y: 200 + Math.floor(i / 20) * 220 },
        config: { provider: 'offline', model: 'echo', prompt: text },
      })),
    ],
    edges: [],
  };
  const created = await mutate<{ id: string }>(page, 'workflow.import', {
    document: { format: 'sluice.workflow/v1', exportedAt: new Date().toISOString(), graph },
  });

  // The list shows the hostile workflow name as text.
  await page.reload();
  await expect(page.getByRole('link', { name: '<img src=x onerror=alert(1)> XSS drill' })).toBeVisible();
  await page.getByRole('link', { name: '<img src=x onerror=alert(1)> XSS drill' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(301, { timeout: 20_000 });

  // Every label is exactly its text on the canvas.
  const labels = await page
    .locator('.react-flow__node .sl-node__label')
    .evaluateAll((elements) => elements.map((e) => e.textContent));
  expect(new Set(labels)).toEqual(new Set(['Start', ...hostile]));

  // The inspector shows descriptions and prompts as form values.
  const inspector = page.getByRole('region', { name: 'Inspector' });
  for (const i of [0, 1, 4, 11, 19, 29, 150, 299]) {
    await page.getByTestId(`node-ai_${i}`).dispatchEvent('click');
    await expect(inspector.getByLabel('Description', { exact: true })).toHaveValue(hostile[i] ?? '');
    await expect(inspector.getByLabel('Prompt', { exact: true })).toHaveValue(hostile[i] ?? '');
  }
  // The problems panel and the ownership map name the steps too.
  await expect(page.getByRole('list', { name: 'Problems', exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'Ownership' }).click();
  await expect(page.getByRole('table')).toContainText(hostile[5] ?? '');
  await page.goto(`/#/workflows/${encodeURIComponent(created.id)}/versions`);
  await page.goto(`/#/workflows/${encodeURIComponent(created.id)}`);
  await expect(page.locator('.react-flow__node')).toHaveCount(301, { timeout: 20_000 });

  const smuggled = await page
    .locator(
      '.react-flow__nodes :is(img, script, iframe, object, embed, style, link, meta, base, a, form, video, math, marquee, details, template, input)',
    )
    .count();
  expect(smuggled).toBe(0);
  expect(await page.evaluate('globalThis.__pwned')).toBeUndefined();
  expect(await page.evaluate('globalThis.__violations')).toEqual([]);
  expect(dialogs).toEqual([]);
});
