// When each event of the measured runs committed, as seen by the process that committed it: an
// in-process subscription, registered before any step runs, hears of a commit on the same tick that
// the commit returns (the bus publishes right after it). An event's own `at` is stamped before the
// statement that writes it, so it also holds the commit's round trips; the overlay figure is
// "commit → subscriber", and this is the commit.
import fs from 'node:fs';
import type { Engine } from '@sluice/engine';
import { z } from 'zod';

const RunIds = z.array(z.string().min(1));
export const CommitTimes = z.record(z.string(), z.number());

/** The file this process writes its commit times to (one per process, beside the run ids). */
export function commitTimesFile(runIdsFile: string, pid: number): string {
  return `${runIdsFile}.${pid}.commits.json`;
}

/**
 * Follows the runs listed in `runIdsFile` (a JSON array of run ids) from their current last event and
 * records when each later event is published in this process. Returns the function that writes the
 * times (`"<runId>:<seq>"` → epoch ms) to {@link commitTimesFile}.
 */
export async function recordCommitTimes(engine: Engine, runIdsFile: string): Promise<() => void> {
  const runIds = RunIds.parse(JSON.parse(fs.readFileSync(runIdsFile, 'utf8')));
  const times: Record<string, number> = {};
  const stop = new AbortController();
  for (const runId of runIds) {
    const run = await engine.getRun(runId);
    if (!run) throw new Error(`overlay: no run ${runId}`);
    const batches = engine.subscribeBatches(runId, {
      afterSeq: run.lastSeq,
      untilFinished: true,
      signal: stop.signal,
    });
    void (async () => {
      for await (const events of batches) {
        const now = performance.timeOrigin + performance.now();
        for (const event of events) times[`${runId}:${event.seq}`] = now;
      }
    })();
  }
  return () => {
    stop.abort();
    fs.writeFileSync(commitTimesFile(runIdsFile, process.pid), JSON.stringify(times));
  };
}
