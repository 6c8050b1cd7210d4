import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from '@sluice/db/testing';
import { type NodeConfigInputs } from '@sluice/nodes';
import { workflow } from '@sluice/spec';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { EngineError, type Executor, StepError } from '../src/index.js';
import { flow, httpConfig, scripted, seed, startEngine } from './support.js';

/** A loopback service: `/do/<run>/<node>` records the call (400 when told to fail), `/undo/…` too. */
interface Service {
  url: string;
  calls: { path: string; key: string }[];
  failing: Set<string>;
  close(): Promise<void>;
}

async function startService(): Promise<Service> {
  const calls: Service['calls'] = [];
  const failing = new Set<string>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '';
      calls.push({ path, key: String(req.headers['idempotency-key'] ?? '') });
      const failed = path.startsWith('/do/') && failing.has(path.slice('/do/'.length));
      res.writeHead(failed ? 400 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: !failed, tag: path.split('/')[2] ?? '' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `127.0.0.1:${port}`,
    calls,
    failing,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const STEPS = ['s1', 's2', 's3', 's4', 's5'];

/**
 * trigger → t_s1 … t_s5 (http to the loopback service, each with a compensation request) → output.
 * The service answers with the run's tag, which the next step's URL reads from its input.
 */
function compensatedChain(host: string) {
  let builder = workflow<NodeConfigInputs>('rollback')
    .owner('tests')
    .trigger(
      { type: 'manual', input: { type: 'object', properties: { tag: { type: 'string' } } } },
      { classification: 'public' },
    );
  STEPS.forEach((id, i) => {
    const tag = i === 0 ? '{{ input.tag }}' : '{{ input.body.tag }}';
    builder = builder.http(`t_${id}`, {
      method: 'POST',
      url: `http://${host}/do/${tag}/${id}`,
      allowHosts: [host],
      responseSchema: {
        type: 'object',
        properties: { ok: { type: 'boolean' }, tag: { type: 'string' } },
        required: ['tag'],
      },
      compensation: { method: 'POST', url: `http://${host}/undo/{{ output.body.tag }}/${id}`, headers: {} },
    });
  });
  return builder.output('done', {});
}

describe('operations: rerun and rollback', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => {
    await service.close();
  });

  test('50 runs failed at a random step, rolled back: each completed step compensated once, last first', async ({
    db,
  }) => {
    const s = await seed(db, compensatedChain(service.url));
    const { engine, close } = await startEngine(db, [], {});
    try {
      const runs: { runId: string; tag: string; failAt: number }[] = [];
      for (let i = 0; i < 50; i++) {
        const tag = `r${i}`;
        const failAt = 1 + Math.floor(Math.random() * STEPS.length);
        service.failing.add(`${tag}/s${failAt}`);
        const run = await engine.startRun({ workflowVersionId: s.versionId, input: { tag } });
        runs.push({ runId: run.runId, tag, failAt });
      }
      for (const r of runs) {
        const done = await engine.waitForRun(r.runId, { timeoutMs: 30_000 });
        expect(done.status).toBe('failed');
        const outcomes = await engine.rollbackRun(r.runId, { actorId: null });
        expect(outcomes.map((o) => o.nodeId)).toEqual(
          STEPS.slice(0, r.failAt - 1)
            .map((id) => `t_${id}`)
            .reverse(),
        );
        expect(outcomes.every((o) => o.status === 'compensated')).toBe(true);
      }
      for (const r of runs) {
        const undos = service.calls.filter((c) => c.path.startsWith(`/undo/${r.tag}/`));
        const expected = STEPS.slice(0, r.failAt - 1)
          .reverse()
          .map((id) => `/undo/${r.tag}/${id}`);
        expect(undos.map((c) => c.path)).toEqual(expected);
        expect(new Set(undos.map((c) => c.key)).size).toBe(undos.length);
        const trail = (await collect(engine, r.runId)).filter((t) => t.startsWith('step.compensated'));
        expect(trail).toEqual(expected.map((p) => `step.compensated:t_${p.split('/').at(-1)}`));
        // A second rollback finds nothing left to undo.
        expect(await engine.rollbackRun(r.runId)).toEqual([]);
      }
    } finally {
      await close();
    }
  });

  test('rollback plan lists steps without a compensation as not reversible', async ({ db }) => {
    const s = await seed(db, flow().http('plain', httpConfig).output('done', {}));
    const { engine, close } = await startEngine(db, [scripted()]);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      await engine.waitForRun(run.runId, { timeoutMs: 10_000 });
      expect(await engine.rollbackPlan(run.runId)).toEqual([
        expect.objectContaining({ nodeId: 'plain', reversible: false }),
      ]);
      const outcome = await engine.rollbackStep(run.runId, 'plain');
      expect(outcome).toMatchObject({ status: 'not-reversible' });
    } finally {
      await close();
    }
  });

  test('rerun from a failed step: a new attempt, upstream outputs kept, downstream run again', async ({
    db,
  }) => {
    const s = await seed(db, flow().http('first', httpConfig).http('flaky', httpConfig).output('done', {}));
    let firstCalls = 0;
    let broken = true;
    const keys: string[] = [];
    const { engine, close } = await startEngine(db, [
      scripted({
        first: () => {
          firstCalls++;
          return { output: { n: 41 } };
        },
        flaky: (ctx) => {
          keys.push(ctx.idempotencyKey);
          if (broken) throw new StepError('UPSTREAM_DOWN', 'down');
          return { output: { n: (ctx.input as { n: number }).n + 1 } };
        },
      }),
    ]);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      expect((await engine.waitForRun(run.runId, { timeoutMs: 10_000 })).status).toBe('failed');
      await expect(engine.rerunFrom(run.runId, 'nope')).rejects.toMatchObject({ code: 'STEP_NOT_FOUND' });
      broken = false;
      const rerun = await engine.rerunFrom(run.runId, 'flaky', { reason: 'upstream is back' });
      expect(rerun.status).toBe('running');
      const done = await engine.waitForRun(run.runId, { timeoutMs: 10_000 });
      expect(done).toMatchObject({ status: 'succeeded', output: { n: 42 }, error: null });
      expect(firstCalls).toBe(1);
      expect(new Set(keys).size).toBe(2);
      const steps = await engine.getSteps(run.runId);
      expect(steps.find((st) => st.nodeId === 'flaky')?.attempt).toBe(2);
      expect(await collect(engine, run.runId)).toContain('run.rerun:flaky');
      // A running run cannot be rerun.
      await expect(engine.rerunFrom(run.runId, 'first')).resolves.toMatchObject({ status: 'running' });
      await expect(engine.rerunFrom(run.runId, 'first')).rejects.toBeInstanceOf(EngineError);
      await engine.waitForRun(run.runId, { timeoutMs: 10_000 });
      expect(firstCalls).toBe(2);
    } finally {
      await close();
    }
  });

  test('a gate reruns afresh: the earlier approval does not count for the new attempt', async ({ db }) => {
    const gate: Executor = {
      kind: 'gate',
      pure: true,
      execute: (ctx) => ({ wait: { kind: 'gate', payload: ctx.input, request: {} } }),
    };
    const s = await seed(db, flow().http('fetch', httpConfig).gate('approve', {}).output('done', {}));
    let value = 1;
    const { engine, close } = await startEngine(db, [
      gate,
      scripted({ fetch: () => ({ output: { value: value++ } }) }),
    ]);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1 } });
      await until(async () => (await engine.getRun(run.runId))?.status === 'waiting');
      const first = await engine.resolveWait(run.runId, 'approve', ({ wait }) => ({
        state: { approvedHash: wait.payloadHash },
        outcome: { output: wait.payload },
      }));
      expect(first.status).toBe('resolved');
      expect((await engine.waitForRun(run.runId, { timeoutMs: 10_000 })).output).toEqual({ value: 1 });

      await engine.rerunFrom(run.runId, 'fetch');
      await until(async () => (await engine.getRun(run.runId))?.status === 'waiting');
      const wait = await engine.getWait(run.runId, 'approve');
      expect(wait).toMatchObject({ status: 'open', attempt: 2, state: {} });
      expect(wait?.payload).toEqual({ value: 2 });
    } finally {
      await close();
    }
  });
});

async function collect(
  engine: Awaited<ReturnType<typeof startEngine>>['engine'],
  runId: string,
): Promise<string[]> {
  const run = await engine.getRun(runId);
  const out: string[] = [];
  const events = engine.subscribe(runId, { afterSeq: 0 });
  for (;;) {
    const next = await events.next();
    if (next.done) break;
    const e = next.value;
    const nodeId =
      'nodeId' in e.payload ? e.payload.nodeId : 'fromNodeId' in e.payload ? e.payload.fromNodeId : '';
    out.push(`${e.type}:${nodeId}`);
    if (e.seq >= (run?.lastSeq ?? 0)) break;
  }
  await events.return?.();
  return out;
}

async function until(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
