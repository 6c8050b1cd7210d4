// Credentials: metadata out, values in. A value is write-only (create, rotate) and never appears in
// a response, an event or a log; every change is a workspace audit event in the same transaction.
import {
  CredentialBindings,
  type CredentialMetadata,
  CredentialName,
  CredentialValue,
  type CredentialVaultService,
  type Prisma,
} from '@sluice/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { audit } from '../audit-log';
import type { AuthedContext } from '../context';
import { permitted } from '../init';
import { ById, Id } from '../inputs';
import { notFound, requireUser } from '../scope';

const Description = z.string().trim().max(500);

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** What a client sees of a credential: never the value or its ciphertext. */
function view(credential: CredentialMetadata) {
  return {
    id: credential.id,
    name: credential.name,
    description: credential.description,
    bindings: credential.bindings,
    keyVersion: credential.keyVersion,
    valueVersion: credential.valueVersion,
    createdById: credential.createdById,
    createdAt: credential.createdAt.toISOString(),
    updatedAt: credential.updatedAt.toISOString(),
    rotatedAt: iso(credential.rotatedAt),
    lastUsedAt: iso(credential.lastUsedAt),
  };
}

function vaultOf(ctx: AuthedContext): CredentialVaultService {
  const vault = ctx.services.vault;
  if (!vault)
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'the credentials vault is not configured' });
  return vault;
}

/** NOT_FOUND unless every bound workflow is one of the caller's workspace. */
async function assertWorkflowsInWorkspace(
  tx: Prisma.TransactionClient,
  ctx: AuthedContext,
  bindings: ReadonlyArray<{ workflowId: string }>,
): Promise<void> {
  if (bindings.length === 0) return;
  const ids = bindings.map((b) => b.workflowId);
  const found = await tx.workflow.count({ where: { id: { in: ids }, workspaceId: ctx.actor.workspaceId } });
  if (found !== ids.length)
    throw new TRPCError({ code: 'NOT_FOUND', message: 'a bound workflow was not found' });
}

/** CONFLICT for a name taken in the workspace (the unique index decides, also under races). */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'P2002';
}

export const credentialRouter = {
  list: permitted('credential:read').query(async ({ ctx }) =>
    (await vaultOf(ctx).list(ctx.db.prisma, ctx.actor.workspaceId)).map(view),
  ),

  get: permitted('credential:read')
    .input(ById)
    .query(async ({ ctx, input }) => {
      const found = await vaultOf(ctx).get(ctx.db.prisma, ctx.actor.workspaceId, input.id);
      if (!found) throw notFound('credential', input.id);
      return view(found);
    }),

  create: permitted('credential:manage')
    .input(
      z.strictObject({
        name: CredentialName,
        description: Description.optional(),
        value: CredentialValue,
        bindings: CredentialBindings.default([]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const user = requireUser(ctx);
      const vault = vaultOf(ctx);
      try {
        const created = await ctx.db.prisma.$transaction(async (tx) => {
          await assertWorkflowsInWorkspace(tx, ctx, input.bindings);
          const credential = await vault.create(tx, {
            workspaceId: ctx.actor.workspaceId,
            name: input.name,
            description: input.description ?? '',
            value: input.value,
            bindings: input.bindings,
            createdById: user.id,
          });
          await audit(tx, ctx, [
            {
              type: 'credential.created',
              payload: { credentialId: credential.id, name: credential.name, bindings: credential.bindings },
            },
          ]);
          return credential;
        });
        return view(created);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new TRPCError({ code: 'CONFLICT', message: `a credential named "${input.name}" exists` });
        throw error;
      }
    }),

  /** Replaces the value (under a new data key); the old value is gone. */
  rotate: permitted('credential:manage')
    .input(z.strictObject({ id: Id, value: CredentialValue }))
    .mutation(async ({ ctx, input }) => {
      requireUser(ctx);
      const vault = vaultOf(ctx);
      const rotated = await ctx.db.prisma.$transaction(async (tx) => {
        const credential = await vault.rotateValue(tx, {
          workspaceId: ctx.actor.workspaceId,
          id: input.id,
          value: input.value,
        });
        if (!credential) throw notFound('credential', input.id);
        await audit(tx, ctx, [
          {
            type: 'credential.rotated',
            payload: {
              credentialId: credential.id,
              name: credential.name,
              valueVersion: credential.valueVersion,
            },
          },
        ]);
        return credential;
      });
      return view(rotated);
    }),

  /** Replaces the workflows (and nodes) allowed to use the credential, and its description. */
  update: permitted('credential:manage')
    .input(
      z.strictObject({
        id: Id,
        bindings: CredentialBindings.optional(),
        description: Description.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      requireUser(ctx);
      const vault = vaultOf(ctx);
      const updated = await ctx.db.prisma.$transaction(async (tx) => {
        const before = await vault.get(tx, ctx.actor.workspaceId, input.id);
        if (!before) throw notFound('credential', input.id);
        const where = { workspaceId: ctx.actor.workspaceId, id: before.id };
        let after = before;
        if (input.bindings) {
          await assertWorkflowsInWorkspace(tx, ctx, input.bindings);
          after = (await vault.setBindings(tx, { ...where, bindings: input.bindings })) ?? after;
        }
        if (input.description !== undefined)
          after = (await vault.setDescription(tx, { ...where, description: input.description })) ?? after;
        await audit(tx, ctx, [
          {
            type: 'credential.updated',
            payload: {
              credentialId: before.id,
              name: before.name,
              ...(input.bindings ? { bindingsBefore: before.bindings, bindingsAfter: after.bindings } : {}),
              ...(input.description !== undefined ? { description: after.description } : {}),
            },
          },
        ]);
        return after;
      });
      return view(updated);
    }),

  delete: permitted('credential:manage')
    .input(ById)
    .mutation(async ({ ctx, input }) => {
      requireUser(ctx);
      const vault = vaultOf(ctx);
      const removed = await ctx.db.prisma.$transaction(async (tx) => {
        const credential = await vault.remove(tx, { workspaceId: ctx.actor.workspaceId, id: input.id });
        if (!credential) throw notFound('credential', input.id);
        await audit(tx, ctx, [
          { type: 'credential.deleted', payload: { credentialId: credential.id, name: credential.name } },
        ]);
        return credential;
      });
      return { id: removed.id, name: removed.name };
    }),
};
