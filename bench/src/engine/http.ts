// Over HTTP, as a user's system calls a workflow: POST the input to the webhook, which answers with the
// run's output once the run has committed. Sequential latency (50 warm-up + 300), throughput with
// autocannon (32 connections, 15 s), and the server's memory at the end.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { signWebhookBody } from '../../../apps/server/src/hooks.js';
import { bundled } from '../bundled.js';
import { median, progress } from '../compile-stats.js';
import type { BenchDatabase } from './database.js';
import type { Workload } from './workloads.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface BenchServer {
  port: number;
  pid: number;
  db: BenchDatabase;
  stop(): Promise<void>;
}

export async function startBenchServer(db: BenchDatabase, secret: string): Promise<BenchServer> {
  // V8 sizes its heap for throughput, not memory: by default the young generation grows to 64 MB
  // and the old one far past what is live (~50 MB here), and the process to 250+ MB under chain100.
  // Capped (16 MB young, 128 MB old) it stays under 170 MB at about the same throughput; these are
  // the flags to run `sluice start` with (NODE_OPTIONS). BENCH_SERVER_NODE_FLAGS overrides them.
  const defaults = '--max-semi-space-size=16 --max-old-space-size=128';
  const flags = (process.env.BENCH_SERVER_NODE_FLAGS ?? defaults).split(/\s+/).filter(Boolean);
  // Compiled and run on plain node, as `npm start` runs the product.
  const script = await bundled(path.join(here, 'server.ts'));
  const child: ChildProcess = spawn(process.execPath, [...flags, script], {
    env: { ...process.env, DATABASE_URL: db.url, HOOK_SECRET: secret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(Number(JSON.parse(line).port));
    });
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
  });
  return {
    port,
    db,
    pid: child.pid ?? 0,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** CPU time (user + system) a process has used, in ms. */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second here).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function rssMb(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function post(
  port: number,
  pathname: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: pathname,
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export interface HttpResult {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  rss_mb: number;
  /** Server CPU time per request during the throughput phase. */
  server_cpu_ms: number;
  /** The database server's CPU time per request during the throughput phase. */
  db_cpu_ms: number;
  /** Database transactions committed per request (concurrent starts share commits). */
  db_commits_per_request: number;
}

export async function benchHttp(
  server: BenchServer,
  workflowId: string,
  workload: Workload,
  secret: string,
  options: { warmup?: number; sequential?: number; connections?: number; durationS?: number } = {},
): Promise<HttpResult> {
  const { warmup = 50, sequential = 300, connections = 32, durationS = 15 } = options;
  // Every delivery is signed afresh and carries its own id: the server accepts each delivery once.
  let deliveries = 0;
  const signed = () => {
    const body = JSON.stringify({ n: 0, delivery: ++deliveries });
    return { body, headers: { 'content-type': 'application/json', ...signWebhookBody(secret, body) } };
  };
  const pathname = `/hooks/${workflowId}`;
  const send = () => {
    const { body, headers } = signed();
    return post(server.port, pathname, body, headers);
  };
  const first = await send();
  if (first.status !== 200 || first.body !== JSON.stringify(workload.expected)) {
    throw new Error(
      `${workload.id}: expected 200 ${JSON.stringify(workload.expected)}, got ${first.status} ${first.body}`,
    );
  }
  for (let i = 0; i < warmup; i++) await send();
  const times: number[] = [];
  for (let i = 0; i < sequential; i++) {
    const start = performance.now();
    const res = await send();
    times.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`${workload.id}: ${res.status} ${res.body}`);
  }
  progress(
    `${workload.id} http: sequential p50 ${median(times).toFixed(2)} ms; ${connections} connections for ${durationS} s…`,
  );
  const cpuBefore = await cpuMs(server.pid);
  const dbCpuBefore = await server.db.cpuMs();
  const commitsBefore = await server.db.commits();
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}${pathname}`,
    method: 'POST',
    requests: [{ method: 'POST', path: pathname, setupRequest: (request) => ({ ...request, ...signed() }) }],
    connections,
    duration: durationS,
  });
  const cpu = (await cpuMs(server.pid)) - cpuBefore;
  const dbCpu = (await server.db.cpuMs()) - dbCpuBefore;
  // Backends report their counts to the statistics at most once a second: let them.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const commits = (await server.db.commits()) - commitsBefore;
  const requests = Math.max(1, result.requests.total);
  return {
    rps: result.requests.average,
    p50_ms: median(times),
    p99_ms: percentile(times, 99),
    errors: result.errors + result.timeouts + result.non2xx,
    rss_mb: await rssMb(server.pid),
    server_cpu_ms: round3(cpu / requests),
    db_cpu_ms: round3(dbCpu / requests),
    db_commits_per_request: round3(commits / requests),
  };
}
