// editor1k (../shared/bench/WORKLOADS.md): a 1,000-node workflow opened in the editor in headless
// Chromium, against the real server. Prints the ms until every node is in the DOM and the p50 ms per
// frame while one node is dragged. Runs `sluice start` on a fresh data directory on loopback.
//
// What is measured, exactly:
// - dom_ms: from setting the editor's route until the 1,000th `.react-flow__node` element is in the
//   document (a MutationObserver sees it as React commits it, not at the next animation frame);
//   dom_elements: how many elements the document holds at that moment.
// - drag_frame_ms_p50: a node (not the pane: checked under the pointer, and afterwards the node has
//   moved and the viewport has not) is dragged by 120 pointer moves. For each move, the ms from its
//   pointermove event to the end of the first frame that shows the node where the move put it (the
//   node's style changed, then that frame's rendering ran). The frame rate is uncapped, so a frame
//   costs what its work costs: at the 60 Hz cap every frame, even an idle one, reads 16.7 ms.
import { launchChromium, recordIfAsked, signedInPage, startSluice } from './browser-bench.js';
import { progress, report } from './compile-stats.js';

const NODES = 1000;

/** trigger → 999 transforms in 40 rows, each wired to the one before it in its row. */
function bigGraph() {
  const nodes = [
    {
      id: 'start',
      kind: 'trigger',
      typeVersion: 1,
      label: 'Start',
      owner: 'bench',
      position: { x: 0, y: 0 },
      config: { type: 'manual', input: { type: 'object', properties: { n: { type: 'number' } } } },
    },
  ];
  const edges = [];
  for (let i = 1; i < NODES; i += 1) {
    const row = i % 40;
    const col = Math.floor(i / 40) + 1;
    nodes.push({
      id: `t${i}`,
      kind: 'transform',
      typeVersion: 1,
      label: `Step ${i}`,
      owner: 'bench',
      position: { x: col * 300, y: row * 200 },
      config: { mapping: { n: 'input.n + 1' } } as never,
    });
    const previous = i <= 40 ? 'start' : `t${i - 40}`;
    edges.push({ id: `e${i}`, source: previous, sourceHandle: 'out', target: `t${i}`, targetHandle: 'in' });
  }
  return {
    graphVersion: 1,
    metadata: { name: 'editor1k', description: '', ownerTeam: 'bench' },
    access: { trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] },
    nodes,
    edges,
  };
}

/** Runs the editor1k workload and prints one JSON line. */
export async function runEditorBench(): Promise<void> {
  const server = await startSluice('sluice-editor1k-');
  const browser = await launchChromium(['--disable-frame-rate-limit', '--disable-gpu-vsync']);
  try {
    const page = await signedInPage(browser, server, 'editor');
    const doc = {
      format: 'sluice.workflow/v1',
      exportedAt: new Date().toISOString(),
      graph: bigGraph(),
    };
    const id: string = await page.evaluate(async (body) => {
      const response = await fetch('/trpc/workflow.import', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ document: body }),
      });
      const answer = (await response.json()) as { result: { data: { id: string } } };
      if (!response.ok) throw new Error(JSON.stringify(answer));
      return answer.result.data.id;
    }, doc);
    progress(`editor1k: imported ${NODES} nodes as ${id}`);

    // Open the editor and time until every node is in the DOM.
    // In-page code is passed as text: this package is typed for Node, not the DOM.
    // Also counted: the elements in the document at that moment (what the browser must style, lay out,
    // paint and hit-test from then on).
    const [domMs, domElements] = JSON.parse(
      String(
        await page.evaluate(`new Promise((resolve) => {
        const started = performance.now();
        const done = () => document.querySelectorAll('.react-flow__node').length >= ${NODES};
        const observer = new MutationObserver(() => {
          if (!done()) return;
          observer.disconnect();
          const ms = performance.now() - started;
          resolve(JSON.stringify([ms, document.getElementsByTagName('*').length]));
        });
        observer.observe(document.body, { childList: true, subtree: true });
        location.hash = ${JSON.stringify(`#/workflows/${encodeURIComponent(id)}`)};
      })`),
      ),
    ) as [number, number];
    await page.getByTestId('node-t999').waitFor();
    await page.waitForTimeout(1000);

    // Drag one node by its middle, and check that the pointer really holds that node.
    const target = 't500';
    const box = await page.getByTestId(`node-${target}`).boundingBox();
    if (!box) throw new Error('node not visible');
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    const held = await page.evaluate(
      `document.elementFromPoint(${x}, ${y})?.closest('.react-flow__node')?.getAttribute('data-id') ?? null`,
    );
    if (held !== target)
      throw new Error(`the pointer at the node's middle is over ${String(held)}, not ${target}`);
    const where = () =>
      page.evaluate(`JSON.stringify([
        document.querySelector('.react-flow__viewport').style.transform,
        document.querySelector('.react-flow__node[data-id="${target}"]').style.transform,
      ])`);
    const before = String(await where());
    await page.evaluate(`(() => {
      const node = document.querySelector('.react-flow__node[data-id="${target}"]');
      const state = { moves: [], shown: [], durations: [] };
      globalThis.__drag = state;
      addEventListener('pointermove', () => state.moves.push(performance.now()), { capture: true });
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        const end = performance.now();
        for (const start of state.shown.splice(0)) state.durations.push(end - start);
      };
      new MutationObserver(() => {
        if (state.moves.length === 0) return;
        const shown = state.moves.splice(0);
        // After this frame's callbacks the browser renders it; the message runs once it has.
        requestAnimationFrame(() => {
          state.shown.push(...shown);
          channel.port2.postMessage(0);
        });
      }).observe(node, { attributes: true, attributeFilter: ['style'] });
    })()`);
    // SLUICE_BENCH_TRACE / SLUICE_BENCH_CPUPROFILE: a trace or profile of the drag (browser-bench.ts).
    const stopRecording = await recordIfAsked(browser, page, 200);
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 120; i += 1) await page.mouse.move(x + i * 2, y + (i % 20));
    await page.mouse.up();
    await page.waitForTimeout(200);
    await stopRecording();
    const after = String(await where());
    const [viewBefore, nodeBefore] = JSON.parse(before) as [string, string];
    const [viewAfter, nodeAfter] = JSON.parse(after) as [string, string];
    if (viewBefore !== viewAfter)
      throw new Error(`the drag moved the viewport (${viewBefore} → ${viewAfter})`);
    if (nodeBefore === nodeAfter) throw new Error(`the drag did not move ${target} (${nodeBefore})`);
    const frames: number[] = await page.evaluate(() => {
      const state: unknown = Reflect.get(globalThis, '__drag');
      const durations: unknown = typeof state === 'object' && state ? Reflect.get(state, 'durations') : [];
      return Array.isArray(durations) ? durations.map(Number) : [];
    });
    frames.sort((a, b) => a - b);
    const p50 = frames[Math.floor(frames.length / 2)] ?? 0;
    const p90 = frames[Math.floor(frames.length * 0.9)] ?? 0;
    report({
      workload: 'editor1k',
      dom_ms: Math.round(domMs),
      dom_elements: domElements,
      drag_frame_ms_p50: Math.round(p50 * 10) / 10,
      drag_frame_ms_p90: Math.round(p90 * 10) / 10,
      frames: frames.length,
    });
  } finally {
    await browser.close();
    await server.stop();
  }
}
