// What the browser benchmarks share: `sluice start` on a fresh data directory and a free loopback
// port, headless Debian Chromium, and a page signed in as one of the seeded demo members.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BenchServer {
  base: string;
  dataDir: string;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/** A port free on loopback now (other benchmarks and engineers' servers share this machine). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForServer(base: string, server: ChildProcess): Promise<void> {
  for (let i = 0; i < 180; i += 1) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the server did not start');
}

function exit(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once('exit', () => resolve());
    server.kill('SIGTERM');
  });
}

/**
 * `sluice start` (embedded PostgreSQL, seeded demo workspace) on a fresh data directory, once it
 * answers its health check.
 *
 * @example
 * const server = await startSluice('sluice-editor1k-');
 * try { … } finally { await server.stop(); }
 */
export async function startSluice(prefix: string): Promise<BenchServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['apps/server/dist/cli.mjs', 'start'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SLUICE_DATA_DIR: dataDir,
      SLUICE_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = async () => {
    await exit(server);
    await fs.rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForServer(base, server);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, dataDir, stop };
}

/** Headless Chromium as the machine allows it (no sandbox as root, no GPU, no background traffic). */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      ...extraArgs,
    ],
  });
}

/** A 1600×1000 page of `server`, signed in as the demo member of `role` (demo-credentials.txt). */
export async function signedInPage(
  browser: Browser,
  server: BenchServer,
  role: 'owner' | 'editor',
): Promise<Page> {
  const credentials = await fs.readFile(path.join(server.dataDir, 'demo-credentials.txt'), 'utf8');
  const match = new RegExp(`^${role}\\s+(\\S+)\\s+(\\S+)$`, 'm').exec(credentials);
  if (!match?.[1] || !match[2]) throw new Error(`no ${role} in demo-credentials.txt`);
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, baseURL: server.base });
  await page.goto('/');
  await page.getByLabel('Email').fill(match[1]);
  await page.getByLabel('Password').fill(match[2]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Workflows', level: 1 }).waitFor();
  return page;
}

/**
 * What the developer asked to record of the measured phase: SLUICE_BENCH_TRACE=<file> a Chrome trace,
 * SLUICE_BENCH_CPUPROFILE=<file> a V8 CPU profile sampled every `samplingUs` (open either in Chrome's
 * DevTools). Returns the function that stops recording and writes the files.
 */
export async function recordIfAsked(
  browser: Browser,
  page: Page,
  samplingUs: number,
): Promise<() => Promise<void>> {
  const trace = process.env.SLUICE_BENCH_TRACE;
  const cpuProfile = process.env.SLUICE_BENCH_CPUPROFILE;
  if (trace) await browser.startTracing(page, { path: trace, screenshots: false });
  const cdp = cpuProfile ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: samplingUs });
    await cdp.send('Profiler.start');
  }
  return async () => {
    if (trace) await browser.stopTracing();
    if (cdp && cpuProfile) {
      const { profile } = await cdp.send('Profiler.stop');
      await fs.writeFile(cpuProfile, JSON.stringify(profile));
    }
  };
}
