// A worker process for the monitor's stall tests: `npx tsx src/monitor/__fixtures__/monitor-worker.ts`,
// configured by environment. Its `http` steps wait STEP_DELAY_MS (plus up to STEP_JITTER_MS) and echo
// their input, so a test can stop the process (SIGSTOP) while a step runs and its lease is held.
import { createEngine } from '@sluice/engine';
import { builtinExecutors, executorRegistry } from '@sluice/nodes/server';
import { openPgStore } from '../../store/pg-store';

const env = {
  url: process.env.DATABASE_URL ?? '',
  worker: process.env.WORKER_ID ?? `worker-${process.pid}`,
  leaseMs: Number(process.env.LEASE_MS ?? 1500),
  concurrency: Number(process.env.CONCURRENCY ?? 4),
  delayMs: Number(process.env.STEP_DELAY_MS ?? 100),
  jitterMs: Number(process.env.STEP_JITTER_MS ?? 0),
};

const store = await openPgStore({ url: env.url, poolSize: 4 });
const engine = createEngine({
  store,
  executors: executorRegistry([
    ...builtinExecutors.filter((e) => e.kind !== 'http'),
    {
      kind: 'http',
      pure: false,
      async execute(ctx) {
        await new Promise((resolve) => setTimeout(resolve, env.delayMs + Math.random() * env.jitterMs));
        return { output: { status: 200, headers: {}, body: ctx.input } };
      },
    },
  ]),
  workers: { concurrency: env.concurrency, leaseMs: env.leaseMs, pollMs: 250 },
  workerId: env.worker,
  log: {
    debug: () => {},
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
