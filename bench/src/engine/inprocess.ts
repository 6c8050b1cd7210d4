// In process, to isolate the engine: the same workflows started through the engine's API. Runs/s at
// 32 concurrent starts, and the durable per-step overhead = run wall time / steps, at concurrency 1
// (p50 of 300 after 50 warm-up runs) and 32 (mean over the throughput phase).
import { openPgStore } from '@sluice/db';
import { createEngine, type Engine } from '@sluice/engine';
import { serverExecutors } from '@sluice/nodes/server';
import { median, progress } from '../compile-stats.js';
import type { BenchDatabase } from './database.js';
import type { Workload } from './workloads.js';

export interface InProcessResult {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  step_overhead_ms: number;
  step_overhead_ms_c32: number;
}

async function runOnce(engine: Engine, versionId: string, workload: Workload): Promise<number> {
  const start = performance.now();
  const run = await engine.startRun({ workflowVersionId: versionId, input: { n: 0 } });
  const elapsed = performance.now() - start;
  if (run.status !== 'succeeded') throw new Error(`${workload.id}: run ${run.runId} is ${run.status}`);
  return elapsed;
}

export async function openInProcessEngine(
  db: BenchDatabase,
): Promise<{ engine: Engine; close(): Promise<void> }> {
  const store = await openPgStore({ url: db.url });
  const engine = createEngine({ store, executors: serverExecutors });
  await engine.start();
  return {
    engine,
    async close() {
      await engine.stop();
      await store.close();
    },
  };
}

export async function benchInProcess(
  engine: Engine,
  versionId: string,
  workload: Workload,
  options: { warmup?: number; sequential?: number; concurrency?: number; durationS?: number } = {},
): Promise<InProcessResult> {
  const { warmup = 50, sequential = 300, concurrency = 32, durationS = 10 } = options;
  for (let i = 0; i < warmup; i++) await runOnce(engine, versionId, workload);
  const times: number[] = [];
  for (let i = 0; i < sequential; i++) times.push(await runOnce(engine, versionId, workload));
  progress(
    `${workload.id} inprocess: sequential p50 ${median(times).toFixed(2)} ms; ${concurrency} concurrent for ${durationS} s…`,
  );
  const deadline = performance.now() + durationS * 1000;
  const started = performance.now();
  let runs = 0;
  let totalMs = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        totalMs += await runOnce(engine, versionId, workload);
        runs++;
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const sorted = [...times].sort((a, b) => a - b);
  return {
    rps: runs / elapsedS,
    p50_ms: median(times),
    p99_ms: sorted[Math.floor(sorted.length * 0.99)] ?? Number.NaN,
    step_overhead_ms: median(times) / workload.steps,
    step_overhead_ms_c32: totalMs / runs / workload.steps,
  };
}
