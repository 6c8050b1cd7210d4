// Shared by the monitor's tests: a workflow version in the test database, and worker processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type NodeConfigInputs, registry } from '@sluice/nodes';
import { workflow, type WorkflowBuilder } from '@sluice/spec';
import type { TestDatabase } from '../../testing';

const dbDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export type Builder = WorkflowBuilder<NodeConfigInputs>;

/** A workflow with a manual trigger taking `{ n: integer }` (public, so `http` nodes may receive it). */
export function flow(name = `flow-${randomUUID().slice(0, 8)}`): Builder {
  return workflow<NodeConfigInputs>(name)
    .owner('tests')
    .trigger(
      { type: 'manual', input: { type: 'object', properties: { n: { type: 'integer' } } } },
      { classification: 'public' },
    );
}

const httpConfig = {
  method: 'POST' as const,
  url: 'https://api.example.com/x',
  allowHosts: ['api.example.com'],
};

/** trigger → the given `http` nodes in a chain → output `done`. */
export function httpChain(nodes: readonly string[]): Builder {
  let builder = flow();
  for (const id of nodes) builder = builder.http(id, httpConfig);
  return builder.output('done', {});
}

export interface Seeded {
  workspaceId: string;
  workflowId: string;
  versionId: string;
  userId: string;
}

/** Stores the flow as version 1 of a new workflow in a new workspace. */
export async function seed(db: TestDatabase, spec: Builder): Promise<Seeded> {
  const built = spec.build(registry);
  const tag = randomUUID().slice(0, 8);
  const user = await db.prisma.user.create({ data: { email: `${tag}@example.test`, name: tag } });
  const workspace = await db.prisma.workspace.create({ data: { name: tag, slug: tag } });
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

export interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  /** Sends `signal` to the whole process group (npx, tsx and node). */
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL to the group (after SIGCONT, so a stopped group dies too), resolved once it is gone. */
  kill(): Promise<void>;
}

/** Spawns __fixtures__/monitor-worker.ts in a process group of its own. */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn('npx', ['tsx', 'src/monitor/__fixtures__/monitor-worker.ts'], {
    cwd: dbDir,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) resolve();
    });
    void exited.then(() => reject(new Error(`worker exited before it was ready:\n${stderr}`)));
  });
  ready.catch(() => undefined);
  const signal = (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  return {
    child,
    ready,
    signal,
    async kill() {
      signal('SIGCONT');
      signal('SIGKILL');
      await exited;
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it returns a value, or throws after `withinMs` naming `what`. */
export async function eventually<T>(
  what: string,
  withinMs: number,
  check: () => Promise<T | null | undefined>,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}`);
    await sleep(everyMs);
  }
}
