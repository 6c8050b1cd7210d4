// For the store's tests: a published workflow version to start runs of (a workspace, its owner, a
// workflow and version 1 with an empty spec: the store does not read the spec).
import { randomUUID } from 'node:crypto';
import type { TestDatabase } from '../testing';

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
