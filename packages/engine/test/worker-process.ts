// A worker process for the crash and two-worker tests: `npx tsx test/worker-process.ts`, configured by
// environment. Its `http` steps POST to a loopback counter with their idempotency key, then wait a
// little, so that a kill can land anywhere: before, during or after the call, or mid-commit.
import { openPgStore } from '@sluice/db';
import { createEngine, type ExecutorContext } from '../src/index.js';
import { builtinExecutors, executorRegistry } from '@sluice/nodes/server';

const env = {
  url: process.env.DATABASE_URL ?? '',
  counter: process.env.COUNTER_URL ?? '',
  worker: process.env.WORKER_ID ?? `worker-${process.pid}`,
  leaseMs: Number(process.env.LEASE_MS ?? 1500),
  concurrency: Number(process.env.CONCURRENCY ?? 4),
  delayMs: Number(process.env.STEP_DELAY_MS ?? 100),
};

async function callCounter(ctx: ExecutorContext) {
  const response = await fetch(`${env.counter}/effect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': ctx.idempotencyKey },
    body: JSON.stringify({ runId: ctx.runId, nodeId: ctx.nodeId, attempt: ctx.attempt, worker: env.worker }),
    signal: ctx.signal,
  });
  if (!response.ok) throw new Error(`counter answered ${response.status}`);
  await new Promise((resolve) => setTimeout(resolve, env.delayMs));
  return { output: { status: response.status, headers: {}, body: await response.json() } };
}

const store = await openPgStore({ url: env.url, poolSize: 4 });
const engine = createEngine({
  store,
  executors: executorRegistry([
    ...builtinExecutors.filter((e) => e.kind !== 'http'),
    { kind: 'http', pure: false, execute: callCounter },
  ]),
  workers: { concurrency: env.concurrency, leaseMs: env.leaseMs, pollMs: 250 },
  workerId: env.worker,
  log: {
    debug: (message) => process.env.WORKER_DEBUG && process.stderr.write(`[${env.worker}] ${message}\n`),
    info: () => {},
    warn: (message) => process.stderr.write(`[${env.worker}] ${message}\n`),
    error: (message) => process.stderr.write(`[${env.worker}] ${message}\n`),
  },
});
await engine.start();
process.stdout.write('ready\n');
const stop = async () => {
  await engine.stop({ graceMs: 1000 });
  await store.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
