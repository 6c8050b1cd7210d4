// A fresh embedded PostgreSQL (synchronous_commit on, as shipped) in a temporary directory, migrated,
// with one workspace and the workloads published as version 1 of their workflows.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createPrismaClient, migrate, startEmbeddedPostgres } from '@sluice/db';
import { type Workload, workloads } from './workloads.js';

export interface BenchDatabase {
  url: string;
  /** Workflow and version ids by workload id. */
  published: Map<Workload['id'], { workflowId: string; versionId: string; workload: Workload }>;
  /** CPU time (ms) the database server has used so far: the postmaster, its live and its ended children. */
  cpuMs(): Promise<number>;
  /** Transactions the database has committed so far (pg_stat_database, this database only). */
  commits(): Promise<number>;
  stop(): Promise<void>;
}

/** utime + stime (+ cutime + cstime of reaped children) of a process, in ms (100 ticks a second). */
async function processCpuMs(
  pid: string,
  withChildren: boolean,
): Promise<{ ppid: string; ms: number } | null> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!stat) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = [11, 12, ...(withChildren ? [13, 14] : [])].reduce((sum, i) => sum + Number(fields[i]), 0);
  return { ppid: fields[1] ?? '', ms: ticks * 10 };
}

async function committedTransactions(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The statistics are per backend until flushed: ask for a fresh snapshot of what is flushed.
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ n: string }>(
      'SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

async function serverCpuMs(dataDir: string): Promise<number> {
  const pidFile = await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8');
  const postmaster = pidFile.split('\n')[0]?.trim() ?? '';
  let total = (await processCpuMs(postmaster, true))?.ms ?? 0;
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry) || entry === postmaster) continue;
    const child = await processCpuMs(entry, false);
    if (child?.ppid === postmaster) total += child.ms;
  }
  return total;
}

export async function openBenchDatabase(): Promise<BenchDatabase> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-bench-'));
  const server = await startEmbeddedPostgres({ dataDir: dir });
  await migrate(server.url);
  const prisma = createPrismaClient(server.url);
  const published: BenchDatabase['published'] = new Map();
  try {
    const user = await prisma.user.create({ data: { email: 'bench@example.test', name: 'Bench' } });
    const workspace = await prisma.workspace.create({ data: { name: 'Bench', slug: 'bench' } });
    for (const workload of workloads()) {
      const wf = await prisma.workflow.create({
        data: {
          workspaceId: workspace.id,
          name: workload.id,
          ownerTeam: 'bench',
          draftGraph: {},
          createdById: user.id,
        },
      });
      const version = await prisma.workflowVersion.create({
        data: {
          workflowId: wf.id,
          version: 1,
          spec: JSON.parse(JSON.stringify(workload.spec)),
          graph: {},
          hash: '0'.repeat(64),
          publishedById: user.id,
        },
      });
      published.set(workload.id, { workflowId: wf.id, versionId: version.id, workload });
    }
  } finally {
    await prisma.$disconnect();
  }
  return {
    url: server.url,
    published,
    cpuMs: () => serverCpuMs(dir),
    commits: () => committedTransactions(server.url),
    async stop() {
      await server.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
