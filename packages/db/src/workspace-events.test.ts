import { describe, expect } from 'vitest';
import { test } from './testing';
import { appendWorkspaceEvents, verifyWorkspaceChain } from './workspace-events';

describe('appendWorkspaceEvents', () => {
  test('concurrent appenders extend one unbroken chain', async ({ db }) => {
    const workspace = await db.prisma.workspace.create({ data: { name: 'Busy', slug: 'busy' } });
    await Promise.all(
      Array.from({ length: 6 }, (_, writer) =>
        db.prisma.$transaction((tx) =>
          appendWorkspaceEvents(tx, workspace.id, [
            { type: 'member.added', payload: { writer, n: 1 }, actorId: `u${writer}` },
            { type: 'member.removed', payload: { writer, n: 2, note: undefined } },
          ]),
        ),
      ),
    );

    const events = await db.prisma.event.findMany({
      where: { workspaceId: workspace.id },
      orderBy: { seq: 'asc' },
    });
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await verifyWorkspaceChain(db.prisma, workspace.id)).toEqual({ ok: true, length: 12 });
    const { lastSeq } = await db.prisma.workspace.findUniqueOrThrow({ where: { id: workspace.id } });
    expect(lastSeq).toBe(12);
  });

  test('a chain edited behind the application no longer verifies', async ({ db }) => {
    const workspace = await db.prisma.workspace.create({ data: { name: 'Audited', slug: 'audited' } });
    await db.prisma.$transaction((tx) =>
      appendWorkspaceEvents(tx, workspace.id, [
        { type: 'a', payload: { v: 1 } },
        { type: 'b', payload: { v: 2 } },
      ]),
    );
    // The append-only trigger stops UPDATE; someone with enough privileges deletes and re-inserts.
    const second = await db.prisma.event.findFirstOrThrow({ where: { workspaceId: workspace.id, seq: 2 } });
    await db.prisma.event.delete({ where: { id: second.id } });
    const { id: _id, ...rest } = second;
    await db.prisma.event.create({ data: { ...rest, payload: { v: 3 } } });

    expect(await verifyWorkspaceChain(db.prisma, workspace.id)).toMatchObject({ ok: false, seq: 2 });
  });
});
