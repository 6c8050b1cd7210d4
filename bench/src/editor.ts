// editor1k (../shared/bench/WORKLOADS.md): a 1,000-node workflow opened in the editor in headless
// Chromium, against the real server. Prints the ms until every node is in the DOM and the p50 ms per
// frame while one node is dragged. Runs `sluice start` on a fresh data directory on loopback.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { progress, report } from './compile-stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PORT = 3297;
const BASE = `http://127.0.0.1:${PORT}`;
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

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 180; i += 1) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the server did not start');
}

function stop(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once('exit', () => resolve());
    server.kill('SIGTERM');
  });
}

/** Runs the editor1k workload and prints one JSON line. */
export async function runEditorBench(): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-editor1k-'));
  const server = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/cli.ts', 'start'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      SLUICE_DATA_DIR: dataDir,
      SLUICE_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    await waitForServer();
    const credentials = await fs.readFile(path.join(dataDir, 'demo-credentials.txt'), 'utf8');
    const match = /^editor\s+(\S+)\s+(\S+)$/m.exec(credentials);
    if (!match?.[1] || !match[2]) throw new Error('no editor in demo-credentials.txt');
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, baseURL: BASE });
    await page.goto('/');
    await page.getByLabel('Email').fill(match[1]);
    await page.getByLabel('Password').fill(match[2]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Workflows', level: 1 }).waitFor();
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
    const domMs = Number(
      await page.evaluate(`new Promise((resolve) => {
        const started = performance.now();
        location.hash = ${JSON.stringify(`#/workflows/${encodeURIComponent(id)}`)};
        const check = () => {
          if (document.querySelectorAll('.react-flow__node').length >= ${NODES}) resolve(performance.now() - started);
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      })`),
    );
    await page.waitForTimeout(500);

    // Drag one node and record the time between frames meanwhile.
    const handle = page.getByTestId('node-t500');
    await handle.scrollIntoViewIfNeeded();
    const box = await page.getByTestId('node-start').boundingBox();
    if (!box) throw new Error('node not visible');
    await page.evaluate(`(() => {
      const frames = [];
      globalThis.__frames = frames;
      let last = performance.now();
      const tick = (now) => {
        frames.push(now - last);
        last = now;
        if (globalThis.__frames === frames) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    const x = box.x + box.width / 2;
    const y = box.y + 20;
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 120; i += 1) await page.mouse.move(x + i * 2, y + (i % 20));
    await page.mouse.up();
    const frames: number[] = await page.evaluate(() => {
      const recorded: unknown = Reflect.get(globalThis, '__frames');
      Reflect.set(globalThis, '__frames', null);
      return Array.isArray(recorded) ? recorded.slice(1).map(Number) : [];
    });
    frames.sort((a, b) => a - b);
    const p50 = frames[Math.floor(frames.length / 2)] ?? 0;
    report({
      workload: 'editor1k',
      dom_ms: Math.round(domMs),
      drag_frame_ms_p50: Math.round(p50 * 10) / 10,
      frames: frames.length,
    });
  } finally {
    await browser.close();
    await stop(server);
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
