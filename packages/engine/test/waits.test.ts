import { test } from '@sluice/db/testing';
import type { Finding } from '@sluice/spec';
import { openPgStore } from '@sluice/db';
import { builtinExecutors, executorRegistry } from '@sluice/nodes/server';
import { describe, expect } from 'vitest';
import {
  createEngine,
  CredentialRefusedError,
  type CredentialRequest,
  type CredentialVault,
  type Executor,
  type WaitDecider,
} from '../src/index.js';
import { flow, httpConfig, scripted, seed, startEngine } from './support.js';

/** A gate that always asks for review, showing its input (the real gate executor lives in nodes). */
const reviewGate: Executor = {
  kind: 'gate',
  pure: true,
  execute: (ctx) => ({
    wait: { kind: 'gate', payload: { shown: ctx.input }, request: { quorum: 1 }, expiresAt: undefined },
  }),
};

const finding: Finding = {
  nodeId: 'scan',
  check: 'detector',
  name: 'email',
  severity: 'medium',
  path: '/to',
  message: 'email address',
  action: 'flag',
};

/** A vault that reveals `secret-<name>` and records every request and refusal. */
function recordingVault(): CredentialVault & { revealed: CredentialRequest[]; refusals: string[] } {
  const revealed: CredentialRequest[] = [];
  const refusals: string[] = [];
  return {
    revealed,
    refusals,
    async reveal(request) {
      if (request.name === 'unbound') {
        refusals.push(`${request.nodeId}: not bound`);
        throw new CredentialRefusedError(`credential "unbound" is not bound to node "${request.nodeId}"`);
      }
      revealed.push(request);
      return `secret-${request.name}`;
    },
    async refused(request, reason) {
      refusals.push(`${request.nodeId}: ${reason}`);
    },
  };
}

const approve: WaitDecider = ({ wait }) => ({
  state: { approvedBy: ['u1'] },
  events: [],
  outcome: { output: (wait.payload as { shown: unknown }).shown },
});

const gated = () =>
  flow()
    .http('scan', httpConfig)
    .gate('approve', {})
    .http('send', { ...httpConfig, credential: 'api' })
    .output('done', {});

describe('steps that wait for people', () => {
  test('a gate waits without a worker, a decision resumes the run with the findings travelling on', async ({
    db,
  }) => {
    const s = await seed(db, gated());
    const seen: { findings: readonly Finding[]; secret: string }[] = [];
    const vault = recordingVault();
    const { engine, close } = await startEngine(
      db,
      [
        reviewGate,
        scripted({
          scan: () => ({ output: { to: 'x' }, findings: [finding] }),
          send: async (ctx) => {
            seen.push({ findings: ctx.findings, secret: await ctx.credential('api') });
            return { output: { sent: true } };
          },
        }),
      ],
      { vault },
    );
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      const waiting = await until(async () => {
        const r = await engine.getRun(run.runId);
        return r?.status === 'waiting' ? r : undefined;
      });
      expect(waiting.status).toBe('waiting');
      const wait = (await engine.getSteps(run.runId)).find((st) => st.nodeId === 'approve');
      expect(wait).toMatchObject({ status: 'waiting', leaseOwner: null, meta: { findings: [finding] } });

      const result = await engine.resolveWait(run.runId, 'approve', approve);
      expect(result.status).toBe('resolved');
      const done = await engine.waitForRun(run.runId, { timeoutMs: 10_000 });
      expect(done).toMatchObject({ status: 'succeeded', output: { sent: true } });
      expect(seen).toEqual([{ findings: [finding], secret: 'secret-api' }]);
      expect(vault.revealed).toMatchObject([{ runId: run.runId, nodeId: 'send', name: 'api' }]);

      // Exactly one outcome: a second decision finds nothing waiting.
      const again = await engine.resolveWait(run.runId, 'approve', approve);
      expect(again.status).toBe('not-waiting');
      const events = await engine.subscribe(run.runId, { untilFinished: true });
      const types: string[] = [];
      for await (const event of events) types.push(event.type);
      expect(types.filter((t) => t === 'step.waiting')).toHaveLength(1);
    } finally {
      await close();
    }
  });

  test('partial decisions update the wait; concurrent decisions record exactly one outcome', async ({
    db,
  }) => {
    const s = await seed(db, gated());
    const { engine, close } = await startEngine(db, [reviewGate, scripted()], { vault: recordingVault() });
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      await until(async () => ((await engine.getRun(run.runId))?.status === 'waiting' ? true : undefined));
      const partial = await engine.resolveWait(run.runId, 'approve', ({ wait }) => ({
        state: { votes: [...((wait.state.votes as string[]) ?? []), 'a'] },
      }));
      expect(partial.status).toBe('updated');
      let outcomes = 0;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          engine.resolveWait(run.runId, 'approve', ({ wait }) => {
            outcomes++;
            return { state: { ...wait.state, final: i }, outcome: { output: { i } } };
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'resolved')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'not-waiting')).toHaveLength(19);
      expect(outcomes).toBe(1);
      const done = await engine.waitForRun(run.runId, { timeoutMs: 10_000 });
      expect(done.status).toBe('succeeded');
    } finally {
      await close();
    }
  });

  test('an expired wait goes to its kind’s policy; by default the step fails', async ({ db }) => {
    const s = await seed(db, gated());
    const expiring: Executor = {
      ...reviewGate,
      execute: (ctx) => ({
        wait: { kind: 'gate', payload: ctx.input, request: {}, expiresAt: new Date(Date.now() + 200) },
      }),
    };
    const { engine, close } = await startEngine(db, [expiring, scripted()], { waitSweepMs: 50 });
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      const done = await engine.waitForRun(run.runId, { timeoutMs: 10_000 });
      expect(done.status).toBe('failed');
      expect(done.error).toMatchObject({ code: 'WAIT_EXPIRED', nodeId: 'approve' });
    } finally {
      await close();
    }
  });

  test('cancelling a waiting run cancels the wait; a late decision finds nothing to decide', async ({
    db,
  }) => {
    const s = await seed(db, gated());
    const { engine, close } = await startEngine(db, [reviewGate, scripted()]);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      await until(async () => ((await engine.getRun(run.runId))?.status === 'waiting' ? true : undefined));
      await engine.cancelRun(run.runId, { reason: 'no longer needed' });
      const late = await engine.resolveWait(run.runId, 'approve', approve);
      expect(late).toMatchObject({ status: 'not-waiting', wait: { status: 'cancelled' } });
    } finally {
      await close();
    }
  });

  test('concurrent decisions through a second process with a small pool and a cold plan cache all return', async ({
    db,
  }) => {
    const s = await seed(db, gated());
    const behaviours = scripted({ scan: () => ({ output: { to: 'x' } }), send: () => ({ output: {} }) });
    const { engine, close } = await startEngine(db, [reviewGate, behaviours]);
    // Another server: it never loaded this version, and two connections is all it has. The first
    // decision takes the run's lock on one; the others queue behind that lock on the rest.
    const store = await openPgStore({ url: db.url, poolSize: 2 });
    const other = createEngine({
      store,
      executors: executorRegistry([
        ...builtinExecutors.filter((e) => e.kind !== 'gate' && e.kind !== 'http'),
        reviewGate,
        behaviours,
      ]),
      workers: false,
    });
    await other.start();
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      await until(async () => ((await engine.getRun(run.runId))?.status === 'waiting' ? true : undefined));
      const results = await Promise.all(
        Array.from({ length: 20 }, () => other.resolveWait(run.runId, 'approve', approve)),
      );
      expect(results.filter((r) => r.status === 'resolved')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'not-waiting')).toHaveLength(19);
      expect(await engine.waitForRun(run.runId, { timeoutMs: 10_000 })).toMatchObject({
        status: 'succeeded',
      });
    } finally {
      await other.stop();
      await store.close();
      await close();
    }
  });

  test('credentials: refused without a vault, when unbound, and recorded by the vault', async ({ db }) => {
    const s = await seed(
      db,
      flow()
        .http('one', { ...httpConfig, credential: 'unbound' })
        .output('done', {}),
    );
    const vault = recordingVault();
    const { engine, close } = await startEngine(
      db,
      [scripted({ one: async (ctx) => ({ output: { key: await ctx.credential('unbound') } }) })],
      { vault },
    );
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      const done = await engine.waitForRun(run.runId, { timeoutMs: 10_000 });
      expect(done.error).toMatchObject({ code: 'CREDENTIAL_REFUSED', nodeId: 'one' });
      expect(JSON.stringify(done)).not.toContain('secret-');
      expect(vault.refusals).toEqual(['one: not bound']);
    } finally {
      await close();
    }
  });
});

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
