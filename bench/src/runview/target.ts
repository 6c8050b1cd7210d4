// The loopback HTTP API the runview100 steps call. It answers at once, except that the first request
// is held until `release()`: the run is started before its page opens, and must not get ahead of the
// recording. Nothing else about the run is slowed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StepTarget {
  /** `127.0.0.1:<port>`, as the steps' URLs and allow-list name it. */
  host: string;
  /** How many requests it answered. */
  answered(): number;
  /** Lets the held first request (and every later one) through. */
  release(): void;
  close(): Promise<void>;
}

/** Starts the target on a free loopback port; it answers each call after `delayMs` (0: at once). */
export async function startStepTarget(delayMs = 0): Promise<StepTarget> {
  let answered = 0;
  let open = false;
  const held: Array<() => void> = [];
  const server = createServer((req, res) => {
    req.resume();
    const answer = () => {
      answered += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, path: req.url ?? '' }));
    };
    if (open) setTimeout(answer, delayMs);
    else held.push(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host: `127.0.0.1:${port}`,
    answered: () => answered,
    release() {
      open = true;
      for (const answer of held.splice(0)) answer();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
