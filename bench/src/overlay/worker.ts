// The overlay benchmark's worker process: an engine that claims and runs steps, as `sluice worker`
// does; its commits reach the API process's subscribers through LISTEN/NOTIFY. Prints `{"ready":true}`.
import { openPgStore } from '@sluice/db';
import { createEngine } from '@sluice/engine';
import { overlayExecutors } from './executors.js';

const store = await openPgStore({ url: process.env.DATABASE_URL ?? '', poolSize: 10 });
const engine = createEngine({
  store,
  executors: overlayExecutors(),
  workers: { concurrency: Number(process.env.CONCURRENCY ?? 16), pollMs: 200 },
});
await engine.start();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
process.once('SIGTERM', () => {
  void engine
    .stop({ graceMs: 1000 })
    .then(() => store.close())
    .then(() => process.exit(0));
});
