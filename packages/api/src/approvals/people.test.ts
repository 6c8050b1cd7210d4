// Who edited a workflow version, as the workspace's audit trail tells it: gates that exclude editors
// read it, so an edit of another workflow, an edit after the version, or another kind of event naming
// the workflow must not count.
import { appendWorkspaceEvents } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { createWorkspaceFixture } from '../testing';
import { editorsOf } from './people';

describe('editorsOf', () => {
  test('names the publisher and whoever edited the workflow before the version', async ({ db }) => {
    const acme = await createWorkspaceFixture(db, { slug: 'acme-editors' });
    const { users, workflowId, workspaceId } = acme;
    await db.prisma.$transaction((tx) =>
      appendWorkspaceEvents(tx, workspaceId, [
        { type: 'workflow.draft_saved', payload: { workflowId }, actorId: users.editor.id },
        { type: 'workflow.draft_saved', payload: { workflowId: 'another' }, actorId: users.operator.id },
        { type: 'member.added', payload: { workflowId }, actorId: users.auditor.id },
      ]),
    );
    const version = await db.prisma.workflowVersion.create({
      data: {
        workflowId,
        version: 2,
        spec: {},
        graph: {},
        hash: 'b'.repeat(64),
        publishedById: users.owner.id,
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await db.prisma.$transaction((tx) =>
      appendWorkspaceEvents(tx, workspaceId, [
        { type: 'workflow.draft_saved', payload: { workflowId }, actorId: users.reviewer.id },
      ]),
    );

    const editors = await editorsOf(db, workspaceId, version.id);
    expect(new Set(editors)).toEqual(new Set([users.owner.id, users.editor.id]));
  });
});
