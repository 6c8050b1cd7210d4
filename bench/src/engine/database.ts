// A fresh embedded PostgreSQL (synchronous_commit on, as shipped) in a temporary directory, migrated,
// with one workspace and the workloads published as version 1 of their workflows.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPrismaClient, migrate, startEmbeddedPostgres } from '@sluice/db';
import { type Workload, workloads } from './workloads.js';

export interface BenchDatabase {
  url: string;
  /** Workflow and version ids by workload id. */
  published: Map<Workload['id'], { workflowId: string; versionId: string; workload: Workload }>;
  stop(): Promise<void>;
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
    async stop() {
      await server.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
