// Appending to and verifying a workspace's own event chain (events with no run): edits, members,
// permission changes. Run chains belong to the engine's Store, with the same hashing rule.
import { type ChainVerdict, eventHash, genesisHash, verifyChain } from './chain';
import type { Prisma, PrismaClient } from './generated/prisma/client';
import { toJsonInput } from './json';

export interface WorkspaceEventDraft {
  type: string;
  payload: unknown;
  actorId?: string | null;
}

/**
 * Appends events to the workspace chain inside the caller's transaction. Taking the sequence numbers
 * with an UPDATE of the workspace row serialises concurrent appenders, so the chain never forks; the
 * partial unique index on (workspace_id, seq) backs that up.
 *
 * @example
 * await prisma.$transaction((tx) =>
 *   appendWorkspaceEvents(tx, workspaceId, [{ type: 'member.added', payload: { userId }, actorId }]));
 */
export async function appendWorkspaceEvents(
  tx: Prisma.TransactionClient,
  workspaceId: string,
  drafts: readonly WorkspaceEventDraft[],
): Promise<void> {
  if (drafts.length === 0) return;
  const { lastSeq } = await tx.workspace.update({
    where: { id: workspaceId },
    data: { lastSeq: { increment: drafts.length } },
    select: { lastSeq: true },
  });
  const firstSeq = lastSeq - drafts.length + 1;
  let prevHash = genesisHash;
  if (firstSeq > 1) {
    const previous = await tx.event.findFirst({
      where: { workspaceId, runId: null, seq: firstSeq - 1 },
      select: { hash: true },
    });
    if (!previous) throw new Error(`workspace ${workspaceId} has no event ${firstSeq - 1} to chain onto`);
    prevHash = previous.hash;
  }
  // One timestamp at millisecond precision, as timestamptz(3) stores it, so the hash can be recomputed.
  const createdAt = new Date();
  const rows: Prisma.EventCreateManyInput[] = drafts.map((draft, i) => {
    const event = {
      workspaceId,
      runId: null,
      seq: firstSeq + i,
      type: draft.type,
      payload: toJsonInput(draft.payload),
      actorId: draft.actorId ?? null,
      createdAt,
    };
    const hash = eventHash(prevHash, event);
    const row = { ...event, prevHash, hash };
    prevHash = hash;
    return row;
  });
  await tx.event.createMany({ data: rows });
}

/**
 * Recomputes a workspace's own chain from the database.
 *
 * @example
 * const verdict = await verifyWorkspaceChain(prisma, workspaceId); // { ok: true, length: 8 }
 */
export async function verifyWorkspaceChain(prisma: PrismaClient, workspaceId: string): Promise<ChainVerdict> {
  const events = await prisma.event.findMany({
    where: { workspaceId, runId: null },
    orderBy: { seq: 'asc' },
    select: {
      workspaceId: true,
      runId: true,
      seq: true,
      type: true,
      payload: true,
      actorId: true,
      createdAt: true,
      prevHash: true,
      hash: true,
    },
  });
  return verifyChain(events);
}
