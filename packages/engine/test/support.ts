// Shared by the integration tests: a workflow version in the file's database, and an engine on it.
import { openPgStore, type PgStore } from '@sluice/db';
import type { TestDatabase } from '@sluice/db/testing';
import { type NodeConfigInputs, registry } from '@sluice/nodes';
import { type Spec, workflow, type WorkflowBuilder } from '@sluice/spec';
import { randomUUID } from 'node:crypto';
import {
  createEngine,
  type Engine,
  type EngineOptions,
  type Executor,
  type ExecutorContext,
  type StepResult,
} from '../src/index.js';
import { builtinExecutors, executorRegistry } from '@sluice/nodes/server';

export type Builder = WorkflowBuilder<NodeConfigInputs>;

/** A workflow builder with a manual trigger taking `{ n: integer }`. */
export function flow(name = `flow-${randomUUID().slice(0, 8)}`): Builder {
  return workflow<NodeConfigInputs>(name)
    .owner('tests')
    .trigger(
      { type: 'manual', input: { type: 'object', properties: { n: { type: 'integer' } } } },
      // Public, so that `http` nodes (cleared for public data only) may receive it.
      { classification: 'public' },
    );
}

export interface Seeded {
  workspaceId: string;
  workflowId: string;
  versionId: string;
  userId: string;
}

/** Stores a spec as version 1 of a new workflow in a new workspace (or in the workspace of `into`). */
export async function seed(db: TestDatabase, spec: Spec | Builder, into?: Seeded): Promise<Seeded> {
  const built = 'build' in spec ? spec.build(registry) : spec;
  const tag = randomUUID().slice(0, 8);
  const user = into
    ? { id: into.userId }
    : await db.prisma.user.create({ data: { email: `${tag}@example.test`, name: tag } });
  const workspace = into
    ? { id: into.workspaceId }
    : await db.prisma.workspace.create({ data: { name: tag, slug: tag } });
  const wf = await db.prisma.workflow.create({
    data: {
      workspaceId: workspace.id,
      name: built.metadata.name,
      ownerTeam: 'tests',
      draftGraph: {},
      createdById: user.id,
    },
  });
  const version = await db.prisma.workflowVersion.create({
    data: {
      workflowId: wf.id,
      version: 1,
      spec: JSON.parse(JSON.stringify(built)),
      graph: {},
      hash: 'a'.repeat(64),
      publishedById: user.id,
    },
  });
  return { workspaceId: workspace.id, workflowId: wf.id, versionId: version.id, userId: user.id };
}

export interface TestEngine {
  engine: Engine;
  store: PgStore;
  close(): Promise<void>;
}

/**
 * An engine on the test database with the built-in executors, those of `extra` replacing built-in
 * ones of the same kind, and none of the kinds in `without`.
 */
export async function startEngine(
  db: TestDatabase,
  extra: readonly Executor[] = [],
  options: Partial<Omit<EngineOptions, 'store' | 'executors'>> & { without?: readonly string[] } = {},
): Promise<TestEngine> {
  const store = await openPgStore({ url: db.url });
  const { without = [], ...engineOptions } = options;
  const engine = createEngine({
    store,
    executors: executorRegistry([
      ...builtinExecutors.filter((e) => !extra.some((x) => x.kind === e.kind) && !without.includes(e.kind)),
      ...extra,
    ]),
    workers: { concurrency: 8, leaseMs: 2_000, pollMs: 200 },
    ...engineOptions,
  });
  await engine.start();
  return {
    engine,
    store,
    async close() {
      await engine.stop({ graceMs: 2_000 });
      await store.close();
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export type Behaviour = (ctx: ExecutorContext) => Promise<StepResult> | StepResult;

/** Config of an `http` node for tests: its steps run the scripted behaviour instead of calling out. */
export const httpConfig = {
  method: 'POST' as const,
  url: 'https://api.example.com/x',
  allowHosts: ['api.example.com'],
};

/** trigger → `call1` … `call<steps>` (http nodes, run by workers) → output `done`. */
export function httpChain(steps: number): Builder {
  let builder = flow();
  for (let i = 1; i <= steps; i++) builder = builder.http(`call${i}`, httpConfig);
  return builder.output('done', {});
}

/**
 * An executor for `http` nodes that runs `behaviours[nodeId]` (default: echo the input). It is not
 * pure, so its steps go through claims, leases and workers like any step with side effects.
 */
export function scripted(behaviours: Record<string, Behaviour> = {}): Executor {
  return {
    kind: 'http',
    pure: false,
    execute: (ctx) => (behaviours[ctx.nodeId] ?? ((c: ExecutorContext) => ({ output: c.input })))(ctx),
  };
}

/** Resolves when the signal aborts (an executor that only ends when told to). */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
