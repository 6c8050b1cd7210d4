// `npm run bench -- gates`: gate100 (WORKLOADS.md): trigger → gate (always review) → transform →
// output; start 100 runs, then approve each through the approval API as a reviewer. Reports the time
// from the approve call returning to the run's completion event at a subscriber, p50/p99 (0 when the
// event arrived first: the approval commits the rest of the run in its own transaction), and the
// approve call's own latency and the time from the call's start to the completion event. Fresh embedded
// PostgreSQL, synchronous_commit on: every step durable.
// Knobs (env): GATE_RUNS=100, GATE_ROUNDS=3 (medians of the rounds' figures are reported).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createCaller } from '@sluice/api';
import { asDatabase, contextFor } from '@sluice/api/testing';
import { createPrismaClient, migrate, openPgStore, startEmbeddedPostgres } from '@sluice/db';
import { createEngine, type Engine } from '@sluice/engine';
import { type NodeConfigInputs, registry } from '@sluice/nodes';
import { GatePayload, serverExecutors } from '@sluice/nodes/server';
import { workflow } from '@sluice/spec';
import { median, progress, report } from './compile-stats.js';

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

const spec = workflow<NodeConfigInputs>('gate100')
  .owner('bench')
  .trigger({ type: 'manual', input: { type: 'object', properties: { n: { type: 'integer' } } } })
  .gate('approve', { defaultTier: 'review', approvers: { roles: ['reviewer'], users: [] } })
  .transform('bump', { mapping: { n: 'input.n + 1' } })
  .output('done', {})
  .build(registry);

/** One round: start `runs` runs (all wait), then approve each in turn and time it. */
async function round(
  engine: Engine,
  decide: (runId: string, payloadHash: string) => Promise<unknown>,
  hashOf: (runId: string) => Promise<string>,
  versionId: string,
  initiatedById: string,
  runs: number,
): Promise<{ toDone: number[]; approve: number[]; callToDone: number[] }> {
  const ids: string[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await engine.startRun({ workflowVersionId: versionId, input: { n: 0 }, initiatedById });
    if (run.status !== 'waiting') throw new Error(`run ${run.runId} is ${run.status}, not waiting`);
    ids.push(run.runId);
  }
  const toDone: number[] = [];
  const approve: number[] = [];
  const callToDone: number[] = [];
  for (const runId of ids) {
    const payloadHash = await hashOf(runId);
    const before = await engine.getRun(runId);
    const events = engine.subscribe(runId, { afterSeq: before?.lastSeq ?? 0, untilFinished: true });
    let doneAt = 0;
    const finished = (async () => {
      for await (const event of events) {
        if (event.type === 'run.succeeded') doneAt = performance.now();
      }
    })();
    const t0 = performance.now();
    await decide(runId, payloadHash);
    const returned = performance.now();
    await finished;
    if (doneAt === 0) throw new Error(`run ${runId} did not succeed`);
    approve.push(returned - t0);
    toDone.push(Math.max(0, doneAt - returned));
    callToDone.push(doneAt - t0);
  }
  return { toDone, approve, callToDone };
}

export async function runGatesBench(): Promise<void> {
  const runs = Number(process.env.GATE_RUNS ?? 100);
  const rounds = Number(process.env.GATE_ROUNDS ?? 3);
  progress('gates: starting an embedded PostgreSQL…');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-bench-gates-'));
  const server = await startEmbeddedPostgres({ dataDir: dir });
  const prisma = createPrismaClient(server.url);
  try {
    await migrate(server.url);
    const workspace = await prisma.workspace.create({ data: { name: 'Bench', slug: 'bench-gates' } });
    const member = async (local: string, role: 'operator' | 'reviewer') => {
      const user = await prisma.user.create({ data: { email: `${local}@bench.test`, name: local } });
      await prisma.membership.create({ data: { workspaceId: workspace.id, userId: user.id, role } });
      return user;
    };
    const operator = await member('operator', 'operator');
    const reviewer = await member('reviewer', 'reviewer');
    const wf = await prisma.workflow.create({
      data: {
        workspaceId: workspace.id,
        name: 'gate100',
        ownerTeam: 'bench',
        draftGraph: {},
        createdById: operator.id,
      },
    });
    const version = await prisma.workflowVersion.create({
      data: {
        workflowId: wf.id,
        version: 1,
        spec: JSON.parse(JSON.stringify(spec)),
        graph: {},
        hash: '0'.repeat(64),
        publishedById: operator.id,
      },
    });
    const store = await openPgStore({ url: server.url });
    const engine = createEngine({ store, executors: serverExecutors });
    await engine.start();
    try {
      const db = asDatabase({ url: server.url, prisma });
      const caller = createCaller(
        contextFor(
          db,
          {
            type: 'user',
            id: reviewer.id,
            email: reviewer.email,
            name: reviewer.name,
            sessionId: 'bench',
            workspaceId: workspace.id,
            role: 'reviewer',
          },
          { engine },
        ),
      );
      const decide = (runId: string, payloadHash: string) =>
        caller.approval.decide({ runId, nodeId: 'approve', verdict: 'approve', payloadHash });
      const hashOf = async (runId: string) =>
        (await caller.approval.get({ runId, nodeId: 'approve' })).payloadHash;
      // Mode `api`: the reviewer's approval.decide call (checks, payload binding, the decision logic).
      // Mode `engine`: engine.resolveWait with a decider that approves at once: the engine's share.
      const modes: Record<string, (runId: string, payloadHash: string) => Promise<unknown>> = {
        api: decide,
        engine: (runId) =>
          engine.resolveWait(runId, 'approve', ({ wait }) => ({
            outcome: { output: GatePayload.parse(wait.payload).input, ports: ['approved'] },
          })),
      };
      for (const [mode, approve] of Object.entries(modes)) {
        progress(`gates ${mode}: warm-up round of 20 runs…`);
        await round(engine, approve, hashOf, version.id, operator.id, 20);
        const figures = {
          p50: [] as number[],
          p99: [] as number[],
          call: [] as number[],
          c50: [] as number[],
          c99: [] as number[],
        };
        for (let r = 0; r < rounds; r++) {
          const {
            toDone,
            approve: calls,
            callToDone,
          } = await round(engine, approve, hashOf, version.id, operator.id, runs);
          figures.p50.push(median(toDone));
          figures.p99.push(percentile(toDone, 0.99));
          figures.call.push(median(calls));
          figures.c50.push(median(callToDone));
          figures.c99.push(percentile(callToDone, 0.99));
          progress(
            `gates ${mode}: round ${r + 1}/${rounds}: call → done p50 ${median(callToDone).toFixed(2)} ms`,
          );
        }
        report({
          workload: 'gate100',
          mode,
          p50_ms: median(figures.p50),
          p99_ms: median(figures.p99),
          approve_call_p50_ms: median(figures.call),
          call_to_done_p50_ms: median(figures.c50),
          call_to_done_p99_ms: median(figures.c99),
          runs,
          rounds,
        });
      }
    } finally {
      await engine.stop();
      await store.close();
    }
  } finally {
    await prisma.$disconnect();
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
