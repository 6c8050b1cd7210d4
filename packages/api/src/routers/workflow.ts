import { toJsonInput } from '@sluice/db';
import { registry } from '@sluice/nodes';
import { canonicalJson, compile, type CompileResult, EditorGraph, sha256Hex } from '@sluice/spec';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { audit } from '../audit-log';
import type { AuthedContext } from '../context';
import { DiagnosticsError, permitted } from '../init';
import { ById, Id, Name } from '../inputs';
import { assertWorkflowInScope, notFound, requireUser, workflowScope } from '../scope';
import { designOf, diffGraphs } from '../workflows/diff';
import { GraphInput, WORKFLOW_DOCUMENT_FORMAT, WorkflowDocument } from '../workflows/document';

const latestVersion = { versions: { orderBy: { version: 'desc' as const }, take: 1 } };

/** The workflow `id` of the caller's workspace (NOT_FOUND otherwise), within a token's scope. */
async function findWorkflow(ctx: AuthedContext, id: string, path: string, permission: 'workflow:read') {
  const workflow = await ctx.db.prisma.workflow.findFirst({
    where: { id, workspaceId: ctx.actor.workspaceId },
    include: latestVersion,
  });
  if (!workflow) throw notFound('workflow', id);
  await assertWorkflowInScope(ctx, workflow.id, path, permission);
  return workflow;
}

async function findVersion(ctx: AuthedContext, workflowId: string, version: number) {
  const row = await ctx.db.prisma.workflowVersion.findFirst({
    where: { workflowId, version, workflow: { workspaceId: ctx.actor.workspaceId } },
  });
  if (!row) throw notFound('version', `${workflowId}@${version}`);
  return row;
}

function summary(result: CompileResult) {
  return {
    ok: result.spec !== null,
    hash: result.hash,
    diagnostics: result.diagnostics,
    ownership: result.ownership,
    errors: result.diagnostics.filter((d) => d.severity === 'error').length,
  };
}

function conflictOnName(error: unknown, name: string): never {
  if (error instanceof Error && 'code' in error && error.code === 'P2002')
    throw new TRPCError({ code: 'CONFLICT', message: `a workflow named "${name}" already exists` });
  throw error;
}

const VersionNumber = z.number().int().positive().max(1_000_000);

/** A new workflow's draft: a manual trigger, owned by `ownerTeam`; the editor adds the rest. */
export function starterGraph(name: string, ownerTeam: string, description = ''): EditorGraph {
  return {
    graphVersion: 1,
    metadata: { name, description, ownerTeam },
    access: {
      trigger: ['operator', 'owner'],
      approve: ['reviewer'],
      operate: ['operator'],
      audit: ['auditor'],
    },
    nodes: [
      {
        id: 'start',
        kind: 'trigger',
        typeVersion: 1,
        label: 'Start',
        owner: ownerTeam,
        position: { x: 0, y: 0 },
        config: { type: 'manual', input: { type: 'object', properties: {} } },
      },
    ],
    edges: [],
  };
}

/** The newest run per workflow (over all its versions), for the list's "last run" column. */
async function lastRuns(ctx: AuthedContext, workflowIds: string[]) {
  if (workflowIds.length === 0) return new Map<string, { status: string; createdAt: string }>();
  const runs = await ctx.db.prisma.run.findMany({
    where: { workspaceId: ctx.actor.workspaceId, workflowVersion: { workflowId: { in: workflowIds } } },
    orderBy: { createdAt: 'desc' },
    distinct: ['workflowVersionId'],
    select: { status: true, createdAt: true, workflowVersion: { select: { workflowId: true } } },
  });
  const latest = new Map<string, { status: string; createdAt: string }>();
  for (const run of runs) {
    const id = run.workflowVersion.workflowId;
    const seen = latest.get(id);
    if (!seen || seen.createdAt < run.createdAt.toISOString())
      latest.set(id, { status: run.status, createdAt: run.createdAt.toISOString() });
  }
  return latest;
}

async function createWorkflow(ctx: AuthedContext, graph: EditorGraph, event: string, extra: object = {}) {
  const { name, description, ownerTeam } = graph.metadata;
  return ctx.db.prisma
    .$transaction(async (tx) => {
      const workflow = await tx.workflow.create({
        data: {
          workspaceId: ctx.actor.workspaceId,
          name,
          description,
          ownerTeam,
          draftGraph: toJsonInput(graph),
          createdById: requireUser(ctx).id,
        },
      });
      await audit(tx, ctx, [{ type: event, payload: { workflowId: workflow.id, name, ...extra } }]);
      return { id: workflow.id, updatedAt: workflow.updatedAt.toISOString() };
    })
    .catch((error: unknown) => conflictOnName(error, name));
}

export const workflowRouter = {
  list: permitted('workflow:read').query(async ({ ctx }) => {
    const scope = workflowScope(ctx);
    const workflows = await ctx.db.prisma.workflow.findMany({
      where: { workspaceId: ctx.actor.workspaceId, ...(scope ? { id: { in: [...scope] } } : {}) },
      orderBy: { name: 'asc' },
      include: latestVersion,
    });
    const runs = await lastRuns(
      ctx,
      workflows.map((w) => w.id),
    );
    return workflows.map((workflow) => {
      const latest = workflow.versions[0];
      return {
        id: workflow.id,
        name: workflow.name,
        description: workflow.description,
        ownerTeam: workflow.ownerTeam,
        updatedAt: workflow.updatedAt.toISOString(),
        latestVersion: latest ? { version: latest.version, hash: latest.hash } : null,
        /** The newest run of any version, or null when it never ran. */
        lastRun: runs.get(workflow.id) ?? null,
      };
    });
  }),

  /** A new workflow whose draft is a trigger wired to an output. */
  create: permitted('workflow:edit')
    .input(
      z.strictObject({
        name: Name,
        ownerTeam: z.string().trim().min(1).max(80),
        description: z.string().max(4000).default(''),
      }),
    )
    .mutation(({ ctx, input }) =>
      createWorkflow(ctx, starterGraph(input.name, input.ownerTeam, input.description), 'workflow.created'),
    ),

  /** A copy of a workflow's draft under a new name; versions and runs stay with the original. */
  duplicate: permitted('workflow:edit')
    .input(z.strictObject({ id: Id, name: Name }))
    .mutation(async ({ ctx, input, path }) => {
      const source = await findWorkflow(ctx, input.id, path, 'workflow:read');
      const draft = EditorGraph.parse(source.draftGraph);
      const { version: _version, ...metadata } = draft.metadata;
      const graph: EditorGraph = { ...draft, metadata: { ...metadata, name: input.name } };
      return createWorkflow(ctx, graph, 'workflow.duplicated', { from: source.id });
    }),

  /** Deletes a workflow with its versions; refused while runs pin one of its versions. */
  delete: permitted('workflow:edit')
    .input(ById)
    .mutation(async ({ ctx, input, path }) => {
      const workflow = await findWorkflow(ctx, input.id, path, 'workflow:read');
      return ctx.db.prisma.$transaction(async (tx) => {
        const runs = await tx.run.count({ where: { workflowVersion: { workflowId: workflow.id } } });
        if (runs > 0) {
          throw new TRPCError({
            code: 'PRECONDITION_FAILED',
            message: `"${workflow.name}" has ${runs} run(s) on record; its versions are kept for the audit trail`,
          });
        }
        await tx.workflow.delete({ where: { id: workflow.id } });
        await audit(tx, ctx, [
          { type: 'workflow.deleted', payload: { workflowId: workflow.id, name: workflow.name } },
        ]);
        return { id: workflow.id, deleted: true };
      });
    }),

  get: permitted('workflow:read')
    .input(ById)
    .query(async ({ ctx, input, path }) => {
      const workflow = await findWorkflow(ctx, input.id, path, 'workflow:read');
      const latest = workflow.versions[0];
      return {
        id: workflow.id,
        name: workflow.name,
        description: workflow.description,
        ownerTeam: workflow.ownerTeam,
        updatedAt: workflow.updatedAt.toISOString(),
        /** The latest published version's graph, or the draft while nothing is published. */
        graph: EditorGraph.parse(latest ? latest.graph : workflow.draftGraph),
        draftGraph: EditorGraph.parse(workflow.draftGraph),
        latestVersion: latest
          ? { version: latest.version, hash: latest.hash, publishedAt: latest.createdAt.toISOString() }
          : null,
      };
    }),

  saveDraft: permitted('workflow:edit')
    .input(
      z.strictObject({
        id: Id,
        graph: GraphInput,
        /** The `updatedAt` the editor loaded; a newer save by someone else is a CONFLICT. */
        baseUpdatedAt: z.iso.datetime().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { name, description, ownerTeam } = input.graph.metadata;
      const updated = await ctx.db.prisma
        .$transaction(async (tx) => {
          const result = await tx.workflow.updateMany({
            where: {
              id: input.id,
              workspaceId: ctx.actor.workspaceId,
              ...(input.baseUpdatedAt ? { updatedAt: new Date(input.baseUpdatedAt) } : {}),
            },
            data: { draftGraph: toJsonInput(input.graph), name, description, ownerTeam },
          });
          if (result.count === 0) {
            const exists = await tx.workflow.count({
              where: { id: input.id, workspaceId: ctx.actor.workspaceId },
            });
            if (exists === 0) throw notFound('workflow', input.id);
            throw new TRPCError({
              code: 'CONFLICT',
              message: 'the draft was saved by someone else meanwhile',
            });
          }
          const draftHash = sha256Hex(canonicalJson(input.graph));
          await audit(tx, ctx, [
            {
              type: 'workflow.draft_saved',
              payload: { workflowId: input.id, name, draftHash, nodes: input.graph.nodes.length },
            },
          ]);
          return tx.workflow.findFirstOrThrow({ where: { id: input.id }, select: { updatedAt: true } });
        })
        .catch((error: unknown) => conflictOnName(error, name));
      return { id: input.id, updatedAt: updated.updatedAt.toISOString() };
    }),

  compile: permitted('workflow:read')
    .input(z.strictObject({ id: Id, graph: GraphInput.optional() }))
    .query(async ({ ctx, input, path }) => {
      const workflow = await findWorkflow(ctx, input.id, path, 'workflow:read');
      return summary(compile(input.graph ?? workflow.draftGraph, registry));
    }),

  publish: permitted('workflow:publish')
    .input(ById)
    .mutation(async ({ ctx, input }) => {
      return ctx.db.prisma.$transaction(
        async (tx) => {
          // Serialises publishers of one workflow: version numbers never collide.
          const locked = await tx.$queryRaw<Array<{ id: string }>>`
            SELECT id FROM workflows WHERE id = ${input.id} AND workspace_id = ${ctx.actor.workspaceId} FOR UPDATE`;
          if (locked.length === 0) throw notFound('workflow', input.id);
          const workflow = await tx.workflow.findUniqueOrThrow({
            where: { id: input.id },
            include: latestVersion,
          });
          const draft = EditorGraph.parse(workflow.draftGraph);
          const latest = workflow.versions[0];
          if (latest && designOf(EditorGraph.parse(latest.graph)) === designOf(draft))
            return { created: false, version: latest.version, hash: latest.hash, diagnostics: [] };
          const version = (latest?.version ?? 0) + 1;
          const graph = { ...draft, metadata: { ...draft.metadata, version } };
          const result = compile(graph, registry);
          const errors = result.diagnostics.filter((d) => d.severity === 'error');
          if (!result.spec || !result.hash || errors.length > 0) {
            throw new TRPCError({
              code: 'PRECONDITION_FAILED',
              message: `the draft has ${errors.length} error(s); fix them before publishing`,
              cause: new DiagnosticsError('publish blocked', errors),
            });
          }
          const row = await tx.workflowVersion.create({
            data: {
              workflowId: workflow.id,
              version,
              spec: toJsonInput(result.spec),
              graph: toJsonInput(graph),
              hash: result.hash,
              publishedById: requireUser(ctx).id,
            },
          });
          await audit(tx, ctx, [
            {
              type: 'workflow.published',
              payload: { workflowId: workflow.id, workflowVersionId: row.id, version, hash: row.hash },
            },
          ]);
          return { created: true, version, hash: row.hash, diagnostics: result.diagnostics };
        },
        { timeout: 30_000 },
      );
    }),

  versions: permitted('workflow:read')
    .input(ById)
    .query(async ({ ctx, input, path }) => {
      const workflow = await findWorkflow(ctx, input.id, path, 'workflow:read');
      const versions = await ctx.db.prisma.workflowVersion.findMany({
        where: { workflowId: workflow.id },
        orderBy: { version: 'desc' },
        select: {
          id: true,
          version: true,
          hash: true,
          createdAt: true,
          publishedBy: { select: { id: true, name: true, email: true } },
        },
      });
      return versions.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() }));
    }),

  diff: permitted('workflow:read')
    .input(z.strictObject({ id: Id, from: VersionNumber, to: z.union([VersionNumber, z.literal('draft')]) }))
    .query(async ({ ctx, input, path }) => {
      const workflow = await findWorkflow(ctx, input.id, path, 'workflow:read');
      const before = EditorGraph.parse((await findVersion(ctx, workflow.id, input.from)).graph);
      const after = EditorGraph.parse(
        input.to === 'draft' ? workflow.draftGraph : (await findVersion(ctx, workflow.id, input.to)).graph,
      );
      return { from: input.from, to: input.to, ...diffGraphs(before, after) };
    }),

  export: permitted('workflow:read')
    .input(z.strictObject({ id: Id, version: VersionNumber.optional() }))
    .query(async ({ ctx, input, path }) => {
      const workflow = await findWorkflow(ctx, input.id, path, 'workflow:read');
      const exportedAt = new Date().toISOString();
      if (input.version === undefined) {
        const draft: WorkflowDocument = {
          format: WORKFLOW_DOCUMENT_FORMAT,
          exportedAt,
          graph: EditorGraph.parse(workflow.draftGraph),
        };
        return draft;
      }
      const version = await findVersion(ctx, workflow.id, input.version);
      const published: WorkflowDocument = {
        format: WORKFLOW_DOCUMENT_FORMAT,
        exportedAt,
        graph: EditorGraph.parse(version.graph),
        published: { version: version.version, hash: version.hash, spec: version.spec },
      };
      return published;
    }),

  import: permitted('workflow:edit')
    .input(z.strictObject({ document: WorkflowDocument }))
    .mutation(async ({ ctx, input }) => {
      const { graph, published } = input.document;
      const result = compile(graph, registry);
      if (published && result.hash !== published.hash) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'the document was changed after export: its spec hash does not match its graph',
        });
      }
      const { name, description, ownerTeam } = graph.metadata;
      const created = await ctx.db.prisma
        .$transaction(async (tx) => {
          const workflow = await tx.workflow.create({
            data: {
              workspaceId: ctx.actor.workspaceId,
              name,
              description,
              ownerTeam,
              draftGraph: toJsonInput(graph),
              createdById: requireUser(ctx).id,
            },
          });
          await audit(tx, ctx, [
            {
              type: 'workflow.imported',
              payload: { workflowId: workflow.id, name, errors: summary(result).errors },
            },
          ]);
          return workflow;
        })
        .catch((error: unknown) => conflictOnName(error, name));
      return { id: created.id, ...summary(result) };
    }),
};
