// Reading waits for the approvals API: the wait rows of the caller's workspace with their run and
// the version it pins, and the engine the decisions go through.
import type { Engine } from '@sluice/engine';
import { Spec } from '@sluice/spec';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { AuthedContext } from '../context';
import type { Permission } from '../permissions';
import { readable } from '../sealed';
import { assertWorkflowInScope, notFound } from '../scope';

/** What the service needs of the engine. */
export type WaitEngine = Pick<Engine, 'resolveWait'>;

export function hasResolveWait(engine: unknown): engine is WaitEngine {
  return (
    typeof engine === 'object' &&
    engine !== null &&
    'resolveWait' in engine &&
    typeof engine.resolveWait === 'function'
  );
}

export function waitEngine(ctx: AuthedContext): WaitEngine {
  const engine = ctx.services.engine;
  if (!hasResolveWait(engine)) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'this server runs no engine: decisions cannot be applied',
    });
  }
  return engine;
}

export const WaitKey = { runId: z.string().min(1).max(64), nodeId: z.string().min(1).max(64) };

export const WaitRef = z.strictObject(WaitKey);

/** The attempt a rerun replaced at this step, opened like the current payload: what the reviewer diffs against. */
export interface PreviousAttempt {
  attempt: number;
  payload: unknown;
  payloadHash: string;
}

export interface Loaded {
  wait: {
    runId: string;
    nodeId: string;
    workspaceId: string;
    kind: 'gate' | 'human';
    status: 'open' | 'resolved' | 'cancelled';
    attempt: number;
    payload: unknown;
    payloadHash: string;
    request: unknown;
    state: unknown;
    expiresAt: Date | null;
    createdAt: Date;
    resolvedAt: Date | null;
    /** Read only when asked for (`withPrevious`): null when no earlier attempt was kept. */
    previous?: PreviousAttempt | null;
  };
  run: { id: string; initiatedById: string | null; status: string; workflowVersionId: string };
  version: { id: string; version: number; workflowId: string; workflowName: string; spec: unknown };
}

export async function loadWaits(
  ctx: AuthedContext,
  where: Record<string, unknown>,
  take: number,
  options: { withPrevious?: boolean } = {},
): Promise<Loaded[]> {
  const rows = await ctx.db.prisma.wait.findMany({
    where: { workspaceId: ctx.actor.workspaceId, ...where },
    orderBy: { createdAt: 'desc' },
    take,
  });
  if (rows.length === 0) return [];
  // A confidential step's payload is encrypted at rest; whoever may read approvals may read it (and
  // the previous attempt's, sealed with the same workspace key, likewise).
  const waits = await Promise.all(
    rows.map(async ({ previousAttempt, previousPayload, previousPayloadHash, ...w }) => ({
      ...w,
      payload: await readable(ctx, w.payload, true),
      ...(options.withPrevious
        ? {
            previous:
              previousAttempt === null || previousPayloadHash === null
                ? null
                : {
                    attempt: previousAttempt,
                    payload: await readable(ctx, previousPayload, true),
                    payloadHash: previousPayloadHash,
                  },
          }
        : {}),
    })),
  );
  const runs = await ctx.db.prisma.run.findMany({
    where: { id: { in: [...new Set(waits.map((w) => w.runId))] }, workspaceId: ctx.actor.workspaceId },
    select: {
      id: true,
      initiatedById: true,
      status: true,
      workflowVersionId: true,
      workflowVersion: {
        select: {
          id: true,
          version: true,
          workflowId: true,
          spec: true,
          workflow: { select: { name: true } },
        },
      },
    },
  });
  const byId = new Map(runs.map((r) => [r.id, r]));
  return waits.flatMap((wait) => {
    const run = byId.get(wait.runId);
    if (!run) return [];
    const v = run.workflowVersion;
    return [
      {
        wait,
        run: {
          id: run.id,
          initiatedById: run.initiatedById,
          status: run.status,
          workflowVersionId: run.workflowVersionId,
        },
        version: {
          id: v.id,
          version: v.version,
          workflowId: v.workflowId,
          workflowName: v.workflow.name,
          spec: v.spec,
        },
      },
    ];
  });
}

export async function loadOne(
  ctx: AuthedContext,
  runId: string,
  nodeId: string,
  path: string,
  permission: Permission,
  options: { withPrevious?: boolean } = {},
) {
  const [found] = await loadWaits(ctx, { runId, nodeId }, 1, options);
  if (!found) throw notFound('wait', `${runId}/${nodeId}`);
  await assertWorkflowInScope(ctx, found.version.workflowId, path, permission);
  return found;
}

export function upstreamOwners(spec: unknown, nodeId: string): string[] {
  const parsed = Spec.safeParse(spec);
  if (!parsed.success) return [];
  const owners = new Set<string>();
  for (const edge of parsed.data.edges) {
    if (edge.to.node !== nodeId) continue;
    const from = edge.from.node;
    const owner =
      from === parsed.data.trigger.id ? parsed.data.trigger.owner : parsed.data.nodes[from]?.owner;
    if (owner) owners.add(owner);
  }
  return [...owners];
}

export function labelOf(spec: unknown, nodeId: string): string {
  const parsed = Spec.safeParse(spec);
  return parsed.success ? (parsed.data.nodes[nodeId]?.label ?? nodeId) : nodeId;
}
