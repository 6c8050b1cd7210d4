// A loopback HTTP server standing in for an external API that deduplicates by idempotency key:
// it applies each key's effect once and counts every request.
import http from 'node:http';

export interface Counter {
  url: string;
  /** Requests per idempotency key. */
  requests: Map<string, number>;
  /** Effects applied per step (`runId:nodeId`), at most one per key. */
  effects: Map<string, number>;
  /** Keys seen per step. */
  keys: Map<string, Set<string>>;
  /** Workers that called, per step. */
  workers: Map<string, Set<string>>;
  close(): Promise<void>;
}

export async function startCounter(): Promise<Counter> {
  const counter = {
    requests: new Map<string, number>(),
    effects: new Map<string, number>(),
    keys: new Map<string, Set<string>>(),
    workers: new Map<string, Set<string>>(),
  };
  const add = <T>(map: Map<string, Set<T>>, key: string, value: T) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(value);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      const body: { runId: string; nodeId: string; worker: string } = JSON.parse(
        Buffer.concat(chunks).toString() || '{}',
      );
      const step = `${body.runId}:${body.nodeId}`;
      const seen = counter.requests.get(key) ?? 0;
      counter.requests.set(key, seen + 1);
      if (seen === 0) counter.effects.set(step, (counter.effects.get(step) ?? 0) + 1);
      add(counter.keys, step, key);
      add(counter.workers, step, body.worker);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ applied: seen === 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the counter has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    ...counter,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
