import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { EditorGraph } from '@sluice/spec';
import { publicProcedure } from '../init';

const WorkflowId = z.object({ id: z.string().min(1).max(64) }).strict();

export const workflowRouter = {
  list: publicProcedure.query(async ({ ctx }) => {
    const workflows = await ctx.db.prisma.workflow.findMany({
      orderBy: { name: 'asc' },
      include: { versions: { orderBy: { version: 'desc' }, take: 1 } },
    });
    return workflows.map((workflow) => {
      const latest = workflow.versions[0];
      return {
        id: workflow.id,
        name: workflow.name,
        description: workflow.description,
        ownerTeam: workflow.ownerTeam,
        updatedAt: workflow.updatedAt.toISOString(),
        latestVersion: latest ? { version: latest.version, hash: latest.hash } : null,
      };
    });
  }),

  get: publicProcedure.input(WorkflowId).query(async ({ ctx, input }) => {
    const workflow = await ctx.db.prisma.workflow.findUnique({
      where: { id: input.id },
      include: { versions: { orderBy: { version: 'desc' }, take: 1 } },
    });
    if (!workflow) throw new TRPCError({ code: 'NOT_FOUND', message: `workflow ${input.id} not found` });
    const latest = workflow.versions[0];
    return {
      id: workflow.id,
      name: workflow.name,
      description: workflow.description,
      ownerTeam: workflow.ownerTeam,
      updatedAt: workflow.updatedAt.toISOString(),
      graph: EditorGraph.parse(latest ? latest.graph : workflow.draftGraph),
      latestVersion: latest
        ? { version: latest.version, hash: latest.hash, publishedAt: latest.createdAt.toISOString() }
        : null,
    };
  }),
};
