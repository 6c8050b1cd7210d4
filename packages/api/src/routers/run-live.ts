// A running step's live-only news (an AI step's reply as it is generated) for the step inspector.
// Never stored and not resumable: what matters is committed with the step's result. Text of a node
// whose output the caller may not read is not sent.
import type { Engine, LiveChunk } from '@sluice/engine';
import type { RunEngine } from '../run-engine';

/** Whether the process's engine can tell about live chunks (a stand-in may not). */
export function hasLive(engine: RunEngine): engine is RunEngine & Pick<Engine, 'onLive'> {
  return 'onLive' in engine && typeof engine.onLive === 'function';
}

/** What the client receives for one chunk. */
export interface LiveItem {
  nodeId: string;
  attempt: number;
  kind: 'text' | 'status';
  text: string;
}

/**
 * The chunks of `runId` (of `nodeId` only, when given) that `mayRead` lets through, until `signal`
 * aborts. Chunks arriving faster than they are consumed queue up (at most `limit`; older ones are
 * dropped, since a late reader has the committed reply anyway).
 */
export async function* liveChunks(
  engine: Pick<Engine, 'onLive'>,
  runId: string,
  options: { nodeId?: string; mayRead: (nodeId: string) => boolean; signal?: AbortSignal; limit?: number },
): AsyncGenerator<LiveItem> {
  const limit = options.limit ?? 1000;
  const queue: LiveItem[] = [];
  let wake: (() => void) | undefined;
  const stop = engine.onLive(runId, (chunk: LiveChunk) => {
    if (options.nodeId !== undefined && chunk.nodeId !== options.nodeId) return;
    if (!options.mayRead(chunk.nodeId)) return;
    queue.push({
      nodeId: chunk.nodeId,
      attempt: chunk.attempt,
      kind: chunk.chunk.kind,
      text: chunk.chunk.kind === 'text' ? chunk.chunk.delta : chunk.chunk.message,
    });
    if (queue.length > limit) queue.shift();
    wake?.();
  });
  const onAbort = () => wake?.();
  options.signal?.addEventListener('abort', onAbort);
  try {
    while (!options.signal?.aborted) {
      const item = queue.shift();
      if (item) {
        yield item;
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    stop();
    options.signal?.removeEventListener('abort', onAbort);
  }
}
