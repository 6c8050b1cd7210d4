// The overlay benchmark's worker process: an engine that claims and runs steps, as `sluice worker`
// does; its commits reach the API process's subscribers through LISTEN/NOTIFY. It records when each
// event commits (commit-times.ts). Prints `{"ready":true}`.
import { openPgStore } from '@sluice/db';
import { createEngine } from '@sluice/engine';
import { recordCommitTimes } from './commit-times.js';
import { overlayExecutors } from './executors.js';

const store = await openPgStore({ url: process.env.DATABASE_URL ?? '', poolSize: 10 });
const engine = createEngine({
  store,
  executors: overlayExecutors(),
  workers: { concurrency: Number(process.env.CONCURRENCY ?? 16), pollMs: 200 },
});
// Registered before any step runs: when each event of the measured runs commits.
const writeCommitTimes = await recordCommitTimes(engine, process.env.OVERLAY_RUNS_FILE ?? '');
await engine.start();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
process.once('SIGTERM', () => {
  writeCommitTimes();
  void engine
    .stop({ graceMs: 1000 })
    .then(() => store.close())
    .then(() => process.exit(0));
});
