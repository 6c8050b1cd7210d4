// runview100: the run view keeping up with a 100-step run, against the real server (`sluice start` on
// a fresh data directory on loopback) in headless Chromium at its default 60 Hz frame rate.
//
// What is measured, exactly:
// - The workflow (runview/graph.ts): manual trigger → 100 `http` steps in a chain → output, each step
//   calling a loopback HTTP server the bench starts (runview/target.ts). `http` steps are run by the
//   server's workers one at a time, each its own commits, so the page is fed live events for the whole
//   run. The target answers at once (SLUICE_RUNVIEW_STEP_MS=<ms>: after that long, an API's latency);
//   only its first request is held until the page is recording.
// - The run is started (run.start), then its page `#/runs/<id>` is opened and waited for until the
//   canvas shows the last step and the live connection is up, plus one settled second.
// - Then the recorder starts (runview/frames.ts) and the target is released. Every animation frame's
//   duration is the delta between consecutive requestAnimationFrame timestamps, recorded until the
//   page shows the run's final state (the header's status reads succeeded and the live badge ended).
//   `frames`, `frame_ms_p50/p95/p99/max` summarise those deltas; `dropped_frames` counts deltas over
//   twice the median one (at 60 Hz: over 33.3 ms, a frame a user sees stutter), `missed_vsyncs` the
//   vsync intervals they skipped in all; `long_frames` counts the browser's own long-frame reports
//   (PerformanceObserver `long-animation-frame`, else `longtask`: work over 50 ms).
// - Reading the figures: the page applies queued events one batch per frame (apps/web/src/live/
//   frame-batch.ts: a node changes state at most once per frame), about two batches per step here. When
//   the page falls behind the stream, every frame is a batch, `frames` stays near 200 and `run_ms`
//   is how far the view lags: it grows with the frame time.
// - `events`: the run's events on the server (audit.list). `timeline`: the timeline entries the page
//   shows at the end, read by scrolling the list from top to bottom; the bench fails unless their
//   sequence numbers are exactly 1..events, each once. `run_ms`: release to final state shown.
// SLUICE_BENCH_TRACE=<file> writes a Chrome trace of the recorded phase, SLUICE_BENCH_CPUPROFILE=<file>
// a V8 CPU profile of it (open either in Chrome's DevTools); SLUICE_BENCH_CSS=<css> adds a style sheet
// to the page (to see what a change of style would save before making it).
import type { Page } from '@playwright/test';
import { launchChromium, recordIfAsked, signedInPage, startSluice } from './browser-bench.js';
import { progress, report } from './compile-stats.js';
import { frameFigures, type Recorded, START_RECORDER, STOP_RECORDER } from './runview/frames.js';
import { chainGraph, STEPS } from './runview/graph.js';
import { startStepTarget } from './runview/target.js';

const FINISH_TIMEOUT_MS = 300_000;

/** Calls a tRPC procedure from the signed-in page (its cookie and origin); returns the result's data. */
async function trpc(page: Page, kind: 'query' | 'mutation', name: string, input: unknown): Promise<unknown> {
  const text = await page.evaluate(
    async ([kind, name, input]) => {
      const response =
        kind === 'query'
          ? await fetch(`/trpc/${name}?input=${encodeURIComponent(input)}`)
          : await fetch(`/trpc/${name}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: input,
            });
      const body = await response.text();
      if (!response.ok) throw new Error(`${name}: ${response.status} ${body.slice(0, 600)}`);
      return body;
    },
    [kind, name, JSON.stringify(input)] as const,
  );
  const parsed: unknown = JSON.parse(text);
  const result: unknown = typeof parsed === 'object' && parsed ? Reflect.get(parsed, 'result') : undefined;
  return typeof result === 'object' && result ? Reflect.get(result, 'data') : undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value ? Reflect.get(value, key) : undefined;
}

/** Every sequence number of the run's events on the server, oldest first. */
async function serverSeqs(page: Page, runId: string): Promise<number[]> {
  const seqs: number[] = [];
  let beforeSeq: number | undefined;
  for (;;) {
    const events = await trpc(page, 'query', 'audit.list', {
      runId,
      limit: 200,
      ...(beforeSeq ? { beforeSeq } : {}),
    });
    if (!Array.isArray(events) || events.length === 0) break;
    for (const event of events) seqs.push(Number(field(event, 'seq')));
    beforeSeq = seqs.at(-1);
    if (events.length < 200) break;
  }
  return seqs.reverse();
}

/**
 * Resolves when the page shows the run's final state (a MutationObserver sees it as React commits it;
 * string code: the app's CSP forbids the eval behind Playwright's waitForFunction).
 */
const FINAL_STATE_SHOWN = `new Promise((resolve, reject) => {
  const done = () =>
    document.querySelector('.sl-run__title-row .sl-run-status')?.getAttribute('data-status') === 'succeeded' &&
    document.querySelector('.sl-live')?.getAttribute('data-live') === 'ended';
  if (done()) return resolve(true);
  const timer = setTimeout(() => { observer.disconnect(); reject(new Error('the run did not finish in ${FINISH_TIMEOUT_MS} ms')); }, ${FINISH_TIMEOUT_MS});
  const observer = new MutationObserver(() => {
    if (!done()) return;
    observer.disconnect();
    clearTimeout(timer);
    resolve(true);
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status', 'data-live'] });
})`;

/** The `data-seq` of every timeline entry, read by scrolling the list from top to bottom. */
const TIMELINE_SEQS = `(async () => {
  const list = document.querySelector('.sl-timeline__list');
  if (!list) return '[]';
  const seen = [];
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  list.scrollTop = 0;
  await frame();
  for (;;) {
    for (const item of list.querySelectorAll('[data-seq]')) seen.push(Number(item.getAttribute('data-seq')));
    if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) break;
    list.scrollTop += Math.max(1, list.clientHeight - 40);
    await frame();
  }
  return JSON.stringify(seen);
})()`;

/** Checks that the timeline shows `expected` (1..n), each once; returns how many entries it shows. */
function checkTimeline(shown: readonly number[], expected: readonly number[]): number {
  const unique = [...new Set(shown)].sort((a, b) => a - b);
  // Scrolling sees an entry on two screens at most: duplicates in the DOM itself are checked by id.
  if (unique.length !== expected.length || unique.some((seq, i) => seq !== expected[i]))
    throw new Error(
      `the timeline shows ${unique.length} distinct entries (${unique.slice(0, 5).join(',')}…), the run has ${expected.length} events`,
    );
  return unique.length;
}

/** Runs the runview100 workload and prints one JSON line. */
export async function runRunViewBench(): Promise<void> {
  const stepMs = Number(process.env.SLUICE_RUNVIEW_STEP_MS ?? 0);
  const target = await startStepTarget(stepMs);
  const server = await startSluice('sluice-runview-');
  // The editor bench's flags, except that the frame rate stays at the display's 60 Hz.
  const browser = await launchChromium();
  try {
    const page = await signedInPage(browser, server, 'owner');

    const document = {
      format: 'sluice.workflow/v1',
      exportedAt: new Date().toISOString(),
      graph: chainGraph(target.host),
    };
    const workflowId = String(field(await trpc(page, 'mutation', 'workflow.import', { document }), 'id'));
    await trpc(page, 'mutation', 'workflow.publish', { id: workflowId });
    const runId = String(
      field(await trpc(page, 'mutation', 'run.start', { workflowId, input: { n: 1 } }), 'runId'),
    );
    progress(`runview100: run ${runId} of ${STEPS} http steps started, held at the first step`);

    await page.evaluate(`location.hash = ${JSON.stringify(`#/runs/${encodeURIComponent(runId)}`)}`);
    await page.getByTestId(`run-node-s${STEPS}`).waitFor();
    await page.locator('.sl-live[data-live="live"]').waitFor();
    await page.waitForTimeout(1000);

    // SLUICE_BENCH_CSS=<css>: a style sheet added to the page, to test where paint time goes.
    const css = process.env.SLUICE_BENCH_CSS;
    if (css) {
      await page.evaluate(`(() => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(${JSON.stringify(css)});
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      })()`);
    }
    const stopRecording = await recordIfAsked(browser, page, 500);
    // The vsync interval: the median frame of the open page while nothing arrives.
    await page.evaluate(START_RECORDER);
    await page.waitForTimeout(1000);
    const idle = JSON.parse(String(await page.evaluate(STOP_RECORDER))) as Recorded;
    await page.evaluate(START_RECORDER);
    const released = Date.now();
    target.release();
    await page.evaluate(FINAL_STATE_SHOWN);
    const runMs = Date.now() - released;
    const recorded = JSON.parse(String(await page.evaluate(STOP_RECORDER))) as Recorded;
    await stopRecording();

    const expected = await serverSeqs(page, runId);
    if (expected.some((seq, i) => seq !== i + 1)) throw new Error('the server’s events are not 1..n');
    const shown = JSON.parse(String(await page.evaluate(TIMELINE_SEQS))) as number[];
    const timeline = checkTimeline(shown, expected);
    const count = Number(await page.locator('#timeline-heading .sl-count').textContent());
    if (count !== expected.length)
      throw new Error(`the timeline's count reads ${count}, not ${expected.length}`);
    if (target.answered() !== STEPS)
      throw new Error(`the target answered ${target.answered()} calls, not ${STEPS}`);

    report({
      workload: 'runview100',
      ...frameFigures(recorded, idle),
      long_frame_source: recorded.longKind ?? 'none',
      events: expected.length,
      timeline,
      run_ms: runMs,
      step_ms: stepMs,
    });
  } finally {
    await browser.close();
    await server.stop();
    await target.close();
  }
}
