import { canonicalJson, verifyAudit, verifyWorkspaceChain } from '@sluice/db';
import { z } from 'zod';
import type { AuthedContext } from '../context';
import { permitted } from '../init';
import { Id, Limit } from '../inputs';
import { assertWholeWorkspace, assertWorkflowInScope, notFound } from '../scope';

/** At most this many events per export call; `afterSeq` continues where a call stopped. */
const EXPORT_PAGE = 50_000;

const eventFields = {
  seq: true,
  type: true,
  payload: true,
  actorId: true,
  createdAt: true,
  prevHash: true,
  hash: true,
} as const;

/**
 * The chain asked for: the workspace's own (no runId) or one run's, which must be of the caller's
 * workspace (NOT_FOUND otherwise) and, for a token, of a workflow within its scope.
 */
async function chainOf(ctx: AuthedContext, runId: string | undefined, path: string) {
  if (runId === undefined) {
    await assertWholeWorkspace(ctx, path, 'audit:read');
    return { runId: null, run: null };
  }
  const run = await ctx.db.prisma.run.findFirst({
    where: { id: runId, workspaceId: ctx.actor.workspaceId },
    select: { id: true, workflowVersion: { select: { workflowId: true } } },
  });
  if (!run) throw notFound('run', runId);
  await assertWorkflowInScope(ctx, run.workflowVersion.workflowId, path, 'audit:read');
  return { runId: run.id, run };
}

function view(event: {
  seq: number;
  type: string;
  payload: unknown;
  actorId: string | null;
  createdAt: Date;
  prevHash: string;
  hash: string;
}) {
  return { ...event, createdAt: event.createdAt.toISOString() };
}

export const auditRouter = {
  /** Events of the workspace chain or of one run, newest first; `beforeSeq` pages back. */
  list: permitted('audit:read')
    .input(
      z.strictObject({
        runId: Id.optional(),
        type: z.string().min(1).max(100).optional(),
        beforeSeq: z.number().int().positive().optional(),
        limit: Limit,
      }),
    )
    .query(async ({ ctx, input, path }) => {
      const chain = await chainOf(ctx, input.runId, path);
      const events = await ctx.db.prisma.event.findMany({
        where: {
          workspaceId: ctx.actor.workspaceId,
          runId: chain.runId,
          ...(input.type ? { type: input.type } : {}),
          ...(input.beforeSeq ? { seq: { lt: input.beforeSeq } } : {}),
        },
        orderBy: { seq: 'desc' },
        take: input.limit,
        select: eventFields,
      });
      return events.map(view);
    }),

  /** Recomputes the chain's hashes from the database. */
  verify: permitted('audit:read')
    .input(z.strictObject({ runId: Id.optional() }))
    .query(async ({ ctx, input, path }) => {
      const chain = await chainOf(ctx, input.runId, path);
      if (!chain.run) return verifyWorkspaceChain(ctx.db.prisma, ctx.actor.workspaceId);
      // The engine's verifier: the chain, its head on the run row, and the input, output and step
      // outputs against the hashes their events recorded.
      const report = await verifyAudit(ctx.db.url, { runId: chain.run.id });
      const first = report.breaks[0];
      return first
        ? { ok: false as const, seq: first.seq, reason: first.reason }
        : { ok: true as const, length: report.events };
    }),

  /** JSON Lines, oldest first, one event per line; `complete` is false when `afterSeq` should continue. */
  export: permitted('audit:read')
    .input(z.strictObject({ runId: Id.optional(), afterSeq: z.number().int().min(0).default(0) }))
    .query(async ({ ctx, input, path }) => {
      const chain = await chainOf(ctx, input.runId, path);
      const events = await ctx.db.prisma.event.findMany({
        where: { workspaceId: ctx.actor.workspaceId, runId: chain.runId, seq: { gt: input.afterSeq } },
        orderBy: { seq: 'asc' },
        take: EXPORT_PAGE + 1,
        select: eventFields,
      });
      const page = events.slice(0, EXPORT_PAGE);
      const body = page
        .map((event) =>
          canonicalJson({ workspaceId: ctx.actor.workspaceId, runId: chain.runId, ...view(event) }),
        )
        .join('\n');
      return {
        contentType: 'application/x-ndjson',
        filename: `audit-${chain.runId ?? ctx.actor.workspaceId}-${input.afterSeq + 1}.jsonl`,
        body: body.length > 0 ? `${body}\n` : '',
        lastSeq: page.at(-1)?.seq ?? input.afterSeq,
        complete: events.length <= EXPORT_PAGE,
      };
    }),
};
