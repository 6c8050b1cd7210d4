// `npm run bench -- overlay` (bench/WORKLOADS.md): 100 concurrent chain10 runs while 20 clients follow
// every run's events over `run.watchBatches`, the SSE subscription the web app uses (the URL and
// event-stream protocol of tRPC's httpSubscriptionLink, read as a browser reads it: sse-client.ts;
// each message holds the events waiting when it was sent). Latency is a step transition's commit, as
// the committing process saw it return (commit-times.ts), to the event's arrival at a subscriber
// (`p50_ms`, `p99_ms`); `stamped_*` measure from the event's own `at` instead, which is stamped before
// the statement that writes it and so also counts the commit's round trips. Gaps and duplicates are
// counted per event, per subscription.
//
// Two topologies, one JSON line each: `single` (one server process that also runs the steps, as
// `sluice start` does: commits reach subscribers in-process) and `split` (an API process and a
// worker process, whose commits reach the API process by LISTEN/NOTIFY, as `sluice worker` scales
// out). The subscribers run in this process. The runs are started and every subscription is open
// before any step runs, so every step transition is measured live.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppRouter } from '@sluice/api';
import { hashPassword } from '@sluice/api';
import { createPrismaClient } from '@sluice/db';
import type { RunEvent } from '@sluice/spec';
import { createTRPCClient, httpLink } from '@trpc/client';
import { bundled } from './bundled.js';
import { progress } from './compile-stats.js';
import { openBenchDatabase } from './engine/database.js';
import { cpuMs } from './engine/http.js';
import { Arrivals } from './overlay/arrivals.js';
import { CommitTimes, commitTimesFile } from './overlay/commit-times.js';
import { followSse, subscriptionUrl } from './overlay/sse-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.env.OVERLAY_RUNS ?? 100);
const SUBSCRIBERS = Number(process.env.OVERLAY_SUBSCRIBERS ?? 20);
const TIMEOUT_MS = 180_000;

/** Starts a harness compiled by `bundled` (as `npm start` runs the product) and reads its first JSON line. */
function child(
  script: string,
  env: Record<string, string>,
): { process: ChildProcess; line: Promise<unknown> } {
  // The node flags `npm start` runs the server with (package.json): the young generation's size sets
  // how long each scavenge pauses the fan-out to 2,000 streams. OVERLAY_NODE_FLAGS replaces them (e.g.
  // add --cpu-prof to see where time goes).
  const flags = (process.env.OVERLAY_NODE_FLAGS ?? '--max-semi-space-size=16').split(/\s+/).filter(Boolean);
  const proc = spawn(process.execPath, [...flags, script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = new Promise<unknown>((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const first = out.split('\n').find((l) => l.startsWith('{'));
      if (first) resolve(JSON.parse(first));
    });
    proc.once('exit', (code) => reject(new Error(`overlay ${path.basename(script)} exited (${code})`)));
  });
  return { process: proc, line };
}

function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

/** Signs in as the web app does and returns the session cookie. */
async function signIn(port: number, email: string, password: string): Promise<string> {
  const origin = `http://127.0.0.1:${port}`;
  const response = await fetch(`${origin}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email, password }),
  });
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0] ?? '')
    .find((pair) => pair.startsWith('__Host-sluice.session='));
  if (!response.ok || !cookie) throw new Error(`overlay: sign-in failed (${response.status})`);
  return cookie;
}

/** The client that starts runs: tRPC over HTTP, signed in with the session cookie. */
function client(port: number, cookie: string) {
  // The origin header: state-changing calls (run.start) must be same-origin (CSRF).
  const headers = { cookie, origin: `http://127.0.0.1:${port}` };
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `http://127.0.0.1:${port}/trpc`, headers })],
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const round = (n: number) => Math.round(n * 100) / 100;

interface Follow {
  lastSeq: number;
  gaps: number;
  duplicates: number;
  done: boolean;
}

/** The harness processes, compiled: the API (and, in `single`, the steps) and the worker. */
interface Scripts {
  server: string;
  worker: string;
}

/** One topology's figures. */
async function measure(topology: 'single' | 'split', scripts: Scripts): Promise<void> {
  const db = await openBenchDatabase();
  const processes: ChildProcess[] = [];
  // The run ids, for the committing process to time (commit-times.ts); its times come back beside.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-overlay-'));
  const runsFile = path.join(scratch, 'runs.json');
  const subscriptions: Array<{ close(): void }> = [];
  try {
    const chain = db.published.get('chain10');
    if (!chain) throw new Error('chain10 is not published');
    const prisma = createPrismaClient(db.url);
    const password = 'overlay bench password';
    try {
      const workspace = await prisma.workspace.findFirstOrThrow({ where: { slug: 'bench' } });
      const user = await prisma.user.update({
        where: { email: 'bench@example.test' },
        data: { emailVerified: true },
      });
      await prisma.account.create({
        data: {
          userId: user.id,
          providerId: 'credential',
          accountId: user.id,
          password: await hashPassword(password),
        },
      });
      await prisma.membership.create({ data: { workspaceId: workspace.id, userId: user.id, role: 'owner' } });
    } finally {
      await prisma.$disconnect();
    }

    const api = child(scripts.server, {
      DATABASE_URL: db.url,
      WORKERS: topology === 'single' ? '1' : '0',
      OVERLAY_RUNS_FILE: runsFile,
    });
    processes.push(api.process);
    const { port } = (await api.line) as { port: number };
    const cookie = await signIn(port, 'bench@example.test', password);
    const starter = client(port, cookie);

    progress(
      `overlay (${topology}): starting ${RUNS} chain10 runs (no step runs until every subscription is open)`,
    );
    // A few at a time: every start also appends to the workspace's audit chain, one writer at a time.
    const runIds: string[] = [];
    while (runIds.length < RUNS) {
      const batch = Math.min(8, RUNS - runIds.length);
      const started = await Promise.all(
        Array.from({ length: batch }, () =>
          starter.run.start.mutate({ workflowId: chain.workflowId, input: { n: 0 } }).then((r) => r.runId),
        ),
      );
      runIds.push(...started);
    }

    progress(`overlay: ${SUBSCRIBERS} clients subscribe to every run (${SUBSCRIBERS * RUNS} subscriptions)`);
    const follows: Follow[] = [];
    // Every live event's arrival: which event, when it arrived, and its own `at`.
    const arrivals = new Arrivals(runIds);
    let liveFrom = Number.POSITIVE_INFINITY;
    let remaining = SUBSCRIBERS * RUNS;
    let connected = 0;
    let failure: unknown = null;
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    let allConnected: () => void = () => {};
    const connectedAll = new Promise<void>((resolve) => (allConnected = resolve));
    for (let subscriber = 0; subscriber < SUBSCRIBERS; subscriber += 1) {
      for (const [run, runId] of runIds.entries()) {
        const follow: Follow = { lastSeq: 0, gaps: 0, duplicates: 0, done: false };
        follows.push(follow);
        let counted = false;
        const onData = ({ data: events }: { data: RunEvent[] }) => {
          const arrived = performance.timeOrigin + performance.now();
          if (!counted) {
            counted = true;
            connected += 1;
            if (connected === SUBSCRIBERS * RUNS) allConnected();
          }
          for (const data of events) {
            if (data.seq <= follow.lastSeq) {
              follow.duplicates += 1;
              continue;
            }
            if (data.seq !== follow.lastSeq + 1) follow.gaps += data.seq - follow.lastSeq - 1;
            follow.lastSeq = data.seq;
            const stamped = Date.parse(data.at);
            if (stamped >= liveFrom) arrivals.add(run, data.seq, arrived, stamped);
            if (
              data.type === 'run.succeeded' ||
              data.type === 'run.failed' ||
              data.type === 'run.cancelled'
            ) {
              if (!follow.done) {
                follow.done = true;
                remaining -= 1;
                if (remaining === 0) finish();
              }
            }
          }
        };
        const onError = (error: unknown) => {
          failure = error;
          finish();
          allConnected();
        };
        subscriptions.push(
          followSse(
            subscriptionUrl(`http://127.0.0.1:${port}/trpc`, 'run.watchBatches', { runId }),
            { cookie },
            {
              onData: (_id, data) => onData({ data: data as RunEvent[] }),
              onReturn: () => undefined,
              onError,
            },
          ),
        );
      }
    }
    await connectedAll;
    if (failure) throw failure;

    progress(`overlay (${topology}): every subscription is live; the steps start now`);
    fs.writeFileSync(runsFile, JSON.stringify(runIds));
    liveFrom = Date.now();
    const cpuBefore = { own: process.cpuUsage(), api: await cpuMs(api.process.pid ?? 0) };
    if (topology === 'single') api.process.kill('SIGUSR2');
    else {
      const worker = child(scripts.worker, { DATABASE_URL: db.url, OVERLAY_RUNS_FILE: runsFile });
      processes.push(worker.process);
      await worker.line;
    }
    const timeout = setTimeout(() => {
      failure = new Error(
        `overlay: ${remaining} subscriptions did not see their run end within ${TIMEOUT_MS} ms`,
      );
      finish();
    }, TIMEOUT_MS);
    await finished;
    clearTimeout(timeout);
    if (failure) throw failure;
    const liveMs = Date.now() - liveFrom;
    const ownCpu = process.cpuUsage(cpuBefore.own);
    const apiCpuMs = (await cpuMs(api.process.pid ?? 0)) - cpuBefore.api;

    // The committing process writes its commit times when it stops.
    const committer = topology === 'single' ? api.process : processes.at(-1);
    if (!committer?.pid) throw new Error('overlay: no committing process');
    await stop(committer);
    const commits = CommitTimes.parse(
      JSON.parse(fs.readFileSync(commitTimesFile(runsFile, committer.pid), 'utf8')),
    );
    const latencies: number[] = [];
    const stampedLatencies: number[] = [];
    let untimed = 0;
    for (const { key, arrived, stamped } of arrivals.entries()) {
      stampedLatencies.push(arrived - stamped);
      const committed = commits[key];
      if (committed === undefined) untimed += 1;
      else latencies.push(arrived - committed);
    }
    if (untimed > 0) throw new Error(`overlay: ${untimed} live events have no commit time`);
    latencies.sort((a, b) => a - b);
    stampedLatencies.sort((a, b) => a - b);
    const gaps = follows.reduce((n, f) => n + f.gaps, 0);
    const duplicates = follows.reduce((n, f) => n + f.duplicates, 0);
    process.stdout.write(
      `${JSON.stringify({
        workload: 'overlay',
        topology,
        p50_ms: round(percentile(latencies, 50)),
        p99_ms: round(percentile(latencies, 99)),
        stamped_p50_ms: round(percentile(stampedLatencies, 50)),
        stamped_p99_ms: round(percentile(stampedLatencies, 99)),
        gaps,
        duplicates,
        runs: RUNS,
        subscribers: SUBSCRIBERS,
        events: latencies.length,
        // Where the time went: wall time of the live phase, and CPU of the API process and of this
        // one (the subscribers) over it.
        live_ms: liveMs,
        api_cpu_ms: apiCpuMs,
        subscribers_cpu_ms: Math.round((ownCpu.user + ownCpu.system) / 1000),
      })}\n`,
    );
  } finally {
    for (const subscription of subscriptions) subscription.close();
    for (const proc of processes.reverse()) await stop(proc);
    await db.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export async function runOverlayBench(): Promise<void> {
  const only = process.env.OVERLAY_TOPOLOGY;
  const scripts: Scripts = {
    server: await bundled(path.join(here, 'overlay', 'server.ts')),
    worker: await bundled(path.join(here, 'overlay', 'worker.ts')),
  };
  for (const topology of ['single', 'split'] as const) {
    if (only === undefined || only === topology) await measure(topology, scripts);
  }
}
