import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { EngineError, StepError } from '../src/index.js';
import { flow, httpConfig, scripted, seed, startEngine, untilAborted } from './support.js';

const quickRetry = { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 100, multiplier: 2, jitter: false };

describe('failures, retries, timeouts and cancellation', () => {
  test('a retryable failure is retried with backoff under a new attempt, then succeeds', async ({ db }) => {
    const s = await seed(db, flow().http('flaky', httpConfig, { retry: quickRetry }).output('done', {}));
    const keys: string[] = [];
    const { engine, store, close } = await startEngine(db, [
      scripted({
        flaky: (ctx) => {
          keys.push(ctx.idempotencyKey);
          if (ctx.attempt < 3)
            throw new StepError('UPSTREAM_503', `try ${ctx.attempt} failed`, { retryable: true });
          return { output: { attempt: ctx.attempt } };
        },
      }),
    ]);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      const done = await engine.waitForRun(run.runId, { timeoutMs: 20_000 });
      expect(done).toMatchObject({ status: 'succeeded', output: { attempt: 3 } });
      expect(new Set(keys).size).toBe(3);
      const failed = (await store.readEvents(run.runId, 0)).filter((e) => e.type === 'step.failed');
      expect(failed.map((e) => e.type === 'step.failed' && [e.payload.attempt, e.payload.willRetry])).toEqual(
        [
          [1, true],
          [2, true],
        ],
      );
      expect((await engine.getSteps(run.runId)).find((st) => st.nodeId === 'flaky')?.attempt).toBe(3);
    } finally {
      await close();
    }
  });

  test('when retries run out the step fails, the run fails and what is left is cancelled', async ({ db }) => {
    const s = await seed(
      db,
      flow()
        .http('flaky', httpConfig, { retry: { ...quickRetry, maxAttempts: 2 } })
        .http('next', httpConfig)
        .output('done', {}),
    );
    let calls = 0;
    const { engine, close } = await startEngine(db, [
      scripted({
        flaky: () => {
          calls++;
          throw new StepError('UPSTREAM_503', 'still down', { retryable: true });
        },
      }),
    ]);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      const done = await engine.waitForRun(run.runId, { timeoutMs: 20_000 });
      expect(done.status).toBe('failed');
      expect(done.error).toMatchObject({ code: 'UPSTREAM_503', nodeId: 'flaky' });
      expect(calls).toBe(2);
      const steps = Object.fromEntries(
        (await engine.getSteps(run.runId)).map((st) => [st.nodeId, st.status]),
      );
      expect(steps).toMatchObject({ flaky: 'failed', next: 'cancelled', done: 'cancelled' });
    } finally {
      await close();
    }
  });

  test('a step that outlives its timeout is aborted and fails with STEP_TIMEOUT', async ({ db }) => {
    const s = await seed(db, flow().http('slow', httpConfig, { timeoutMs: 200 }).output('done', {}));
    let sawAbort = false;
    const { engine, close } = await startEngine(db, [
      scripted({
        slow: async (ctx) => {
          try {
            return await untilAborted(ctx.signal);
          } finally {
            sawAbort = ctx.signal.aborted;
          }
        },
      }),
    ]);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      const done = await engine.waitForRun(run.runId, { timeoutMs: 20_000 });
      expect(done).toMatchObject({ status: 'failed', error: { code: 'STEP_TIMEOUT', nodeId: 'slow' } });
      expect(sawAbort).toBe(true);
    } finally {
      await close();
    }
  });

  test('cancelling mid-run cancels the run and its steps and aborts the running executor', async ({ db }) => {
    const s = await seed(db, flow().http('wait', httpConfig).http('after', httpConfig).output('done', {}));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let abortedWith: unknown;
    const { engine, store, close } = await startEngine(db, [
      scripted({
        wait: async (ctx) => {
          started();
          try {
            return await untilAborted(ctx.signal);
          } catch (reason) {
            abortedWith = reason;
            throw reason;
          }
        },
      }),
    ]);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      await running;
      const cancelled = await engine.cancelRun(run.runId, { reason: 'not needed', actorId: s.userId });
      expect(cancelled.status).toBe('cancelled');
      await expect.poll(() => abortedWith).toBeDefined();
      const steps = Object.fromEntries(
        (await engine.getSteps(run.runId)).map((st) => [st.nodeId, st.status]),
      );
      expect(steps).toEqual({
        trigger: 'succeeded',
        wait: 'cancelled',
        after: 'cancelled',
        done: 'cancelled',
      });
      const events = await store.readEvents(run.runId, 0);
      expect(events.at(-1)).toMatchObject({
        type: 'run.cancelled',
        actorId: s.userId,
        payload: { reason: 'not needed' },
      });
      // Cancelling again changes nothing.
      expect((await engine.cancelRun(run.runId)).lastSeq).toBe(events.at(-1)?.seq);
    } finally {
      await close();
    }
  });

  test('a cancel in another process reaches the executor through the database notification', async ({
    db,
  }) => {
    const s = await seed(db, flow().http('wait', httpConfig).output('done', {}));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let aborted = false;
    const worker = await startEngine(db, [
      scripted({
        wait: async (ctx) => {
          started();
          ctx.signal.addEventListener('abort', () => (aborted = true));
          return untilAborted(ctx.signal);
        },
      }),
    ]);
    const other = await startEngine(db, [], { workers: false });
    try {
      const run = await other.engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      await running;
      await other.engine.cancelRun(run.runId);
      await expect.poll(() => aborted, { timeout: 5_000 }).toBe(true);
      expect((await worker.engine.getRun(run.runId))?.status).toBe('cancelled');
    } finally {
      await other.close();
      await worker.close();
    }
  });

  test('a step of a kind with no executor fails, when claimed, with a clear error', async ({ db }) => {
    const s = await seed(
      db,
      flow()
        .ai('think', { provider: 'offline', model: 'echo', prompt: 'hi {{ input.n }}' })
        .output('done', {}),
    );
    const { engine, close } = await startEngine(db, [], { without: ['ai'] });
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      const done = await engine.waitForRun(run.runId, { timeoutMs: 10_000 });
      expect(done.status).toBe('failed');
      expect(done.error).toMatchObject({ code: 'EXECUTOR_MISSING', nodeId: 'think' });
    } finally {
      await close();
    }
  });

  test('an output the database cannot store fails its step instead of failing the commit', async ({ db }) => {
    const s = await seed(db, flow().http('bad', httpConfig).output('done', {}));
    const { engine, close } = await startEngine(db, [
      scripted({ bad: () => ({ output: { text: 'a\u0000b' } }) }),
    ]);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      const done = await engine.waitForRun(run.runId, { timeoutMs: 10_000 });
      expect(done).toMatchObject({ status: 'failed', error: { code: 'OUTPUT_INVALID', nodeId: 'bad' } });
    } finally {
      await close();
    }
  });

  test('an input that does not match the trigger schema is refused, naming the field', async ({ db }) => {
    const s = await seed(db, flow().output('done', {}));
    const { engine, close } = await startEngine(db);
    try {
      const error = await engine
        .startRun({ workflowVersionId: s.versionId, input: { n: 'one' } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineError);
      expect(error).toMatchObject({
        code: 'INPUT_INVALID',
        details: { issues: [expect.stringContaining('n')] },
      });
      await expect(engine.startRun({ workflowVersionId: 'nope', input: {} })).rejects.toMatchObject({
        code: 'VERSION_NOT_FOUND',
      });
    } finally {
      await close();
    }
  });
});
