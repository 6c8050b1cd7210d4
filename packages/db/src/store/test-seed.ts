// For the store's tests: a published workflow version to start runs of (a workspace, its owner, a
// workflow and version 1 with an empty spec: the store does not read the spec), and a new run's row.
import { randomUUID } from 'node:crypto';
import type { NewRun, RunStatus } from '@sluice/engine';
import type { TestDatabase } from '../testing';

/** The run row of a new run of `seeded`'s version, started now, with no key, parent or initiator. */
export function newRunRow(
  seeded: { workspaceId: string; versionId: string },
  status: RunStatus,
  id: string = randomUUID(),
): NewRun['run'] {
  return {
    id,
    workspaceId: seeded.workspaceId,
    workflowVersionId: seeded.versionId,
    runKey: null,
    initiatedById: null,
    parentRunId: null,
    input: {},
    startedAt: new Date(),
    status,
    output: null,
    error: null,
    finishedAt: null,
  };
}

export async function seedVersion(db: TestDatabase): Promise<{ workspaceId: string; versionId: string }> {
  const tag = randomUUID().slice(0, 8);
  const user = await db.prisma.user.create({ data: { email: `${tag}@example.test`, name: tag } });
  const workspace = await db.prisma.workspace.create({ data: { name: tag, slug: tag } });
  const workflow = await db.prisma.workflow.create({
    data: { workspaceId: workspace.id, name: tag, ownerTeam: 'tests', draftGraph: {}, createdById: user.id },
  });
  const version = await db.prisma.workflowVersion.create({
    data: {
      workflowId: workflow.id,
      version: 1,
      spec: {},
      graph: {},
      hash: 'a'.repeat(64),
      publishedById: user.id,
    },
  });
  return { workspaceId: workspace.id, versionId: version.id };
}
