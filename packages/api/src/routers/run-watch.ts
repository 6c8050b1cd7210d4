// Following a run's events for `run.watch` and `run.watchBatches`: authorised on connect, resumed
// after the client's last event id, and ended when the member's access changes or a token expires.
import type { RunEvent } from '@sluice/spec';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { recordTokenRefused } from '../audit-log';
import { whenTokenExpires } from '../auth/token-expiry';
import type { AuthedContext } from '../context';
import { Id } from '../inputs';
import type { RunEngine } from '../run-engine';
import { FINISHED_RUNS, findRun, requireEngine, stillAllowed } from './run-access';

export const WatchInput = z.strictObject({
  runId: Id,
  lastEventId: z
    .string()
    .regex(/^\d{1,10}$/)
    .nullish(),
});

/** The engine's batches, or single events as batches of one from an engine without them. */
function batchesOf(
  engine: RunEngine,
  runId: string,
  options: { afterSeq: number; signal: AbortSignal; untilFinished: true },
): AsyncIterable<RunEvent[]> {
  if (engine.subscribeBatches) return engine.subscribeBatches(runId, options);
  const events = engine.subscribe(runId, options);
  return (async function* () {
    for await (const event of events) yield [event];
  })();
}

/**
 * The run's events after `input.lastEventId`, in batches as they come (each batch in order, one after
 * the other without gap or repeat), until the run's final event, the client leaving (`signal`), a change
 * of the member's role that takes `run:read` away (FORBIDDEN), or the token expiring (UNAUTHORIZED).
 */
export async function* followRun(
  ctx: AuthedContext,
  input: z.infer<typeof WatchInput>,
  path: string,
  signal: AbortSignal | undefined,
): AsyncGenerator<RunEvent[], void, undefined> {
  const run = await findRun(ctx, input.runId, path, 'run:read');
  const engine = requireEngine(ctx);
  // A finished run whose last event the client already has: nothing more will come, and the
  // engine's subscription would wait for a terminal event it has already delivered before.
  const resumeAfter = input.lastEventId ? Number(input.lastEventId) : 0;
  if (FINISHED_RUNS.has(run.status) && run.lastSeq > 0 && resumeAfter >= run.lastSeq) return;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort);
  let revoked = false;
  const unsubscribe = ctx.services.membershipEvents.subscribe((change) => {
    if (change.workspaceId !== ctx.actor.workspaceId || change.actor.id !== ctx.actor.id) return;
    const revoke = () => {
      revoked = true;
      stop.abort();
    };
    stillAllowed(ctx, 'run:read').then((ok) => ok || revoke(), revoke);
  });
  let expired = false;
  const cancelExpiry = whenTokenExpires(ctx.actor, () => {
    expired = true;
    stop.abort();
  });
  try {
    for await (const events of batchesOf(engine, run.id, {
      afterSeq: resumeAfter,
      signal: stop.signal,
      untilFinished: true,
    })) {
      if (revoked || expired) break;
      yield events;
    }
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  } finally {
    cancelExpiry();
    unsubscribe();
    signal?.removeEventListener('abort', onAbort);
  }
  if (expired && ctx.actor.type === 'token') {
    const refused = { tokenId: ctx.actor.id, workspaceId: ctx.actor.workspaceId, reason: 'expired' } as const;
    await recordTokenRefused(ctx, refused, path);
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'this API token is expired' });
  }
  if (revoked) throw new TRPCError({ code: 'FORBIDDEN', message: 'your access to this run has changed' });
}
