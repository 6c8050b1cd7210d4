// The authorisation matrix, generated from the router: every procedure × every role (and agent
// tokens, and nobody) × own and foreign workspace is allowed exactly where the permission table says.
import { type MembershipRole, membershipRoles } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { TRPCError } from '@trpc/server';
import { describe, expect } from 'vitest';
import type { Actor, Context } from './context';
import { permissionTable, roleCan, tokenActions } from './permissions';
import {
  asDatabase,
  callProcedure,
  contextFor,
  createWorkspaceFixture,
  idsOf,
  procedureEntries,
  procedureSamples,
  tokenActor,
  userActor,
  type WorkspaceFixture,
} from './testing';

const procedures = procedureEntries();

/** The tRPC error code of a call, or 'OK'; the output when it succeeded. */
async function outcome(
  ctx: Context,
  path: string,
  input: unknown,
): Promise<{ code: string; output?: unknown }> {
  try {
    const output = await callProcedure(ctx, path, input);
    // Subscriptions are authorised when they start: read the first item to get there.
    await firstItem(output);
    return { code: 'OK', output };
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code };
    throw error;
  }
}

const refusals = ['UNAUTHORIZED', 'FORBIDDEN'];

/** For an async iterable (a subscription), waits for its first item (or 200 ms), then ends it. */
async function firstItem(output: unknown): Promise<void> {
  if (typeof output !== 'object' || output === null || !(Symbol.asyncIterator in output)) return;
  const open: unknown = Reflect.get(output, Symbol.asyncIterator);
  if (typeof open !== 'function') return;
  const iterator: unknown = open.call(output);
  if (typeof iterator !== 'object' || iterator === null) return;
  const next: unknown = Reflect.get(iterator, 'next');
  const end: unknown = Reflect.get(iterator, 'return');
  if (typeof next === 'function')
    await Promise.race([next.call(iterator), new Promise((resolve) => setTimeout(resolve, 200))]);
  if (typeof end === 'function') await end.call(iterator);
}

describe('the router', () => {
  test('every procedure declares a permission from the table', () => {
    expect(procedures.length).toBeGreaterThan(20);
    const undeclared = procedures.filter(
      (p) => p.permission === undefined || !(p.permission in permissionTable),
    );
    expect(undeclared.map((p) => p.path)).toEqual([]);
  });
});

describe('the authorisation matrix', () => {
  let own: WorkspaceFixture;
  let foreign: WorkspaceFixture;
  let ctxOf: (who: Actor | null) => Context;

  test.beforeAll(async ({ db }) => {
    own = await createWorkspaceFixture(db, { slug: 'own' });
    foreign = await createWorkspaceFixture(db, { slug: 'foreign' });
    ctxOf = (who) => contextFor(asDatabase(db), who);
  });

  test('every procedure has a sample input for the matrix', () => {
    const samples = procedureSamples(own, foreign);
    expect(procedures.map((p) => p.path).filter((path) => !(path in samples))).toEqual([]);
  });

  test('nobody signed in: UNAUTHORIZED everywhere', async () => {
    const samples = procedureSamples(own, foreign);
    for (const { path } of procedures) {
      expect((await outcome(ctxOf(null), path, samples[path]?.own())).code, path).toBe('UNAUTHORIZED');
    }
  });

  test('signed in but not a member of the workspace asked for: FORBIDDEN everywhere', async ({ db }) => {
    const samples = procedureSamples(own, foreign);
    const ctx = contextFor(asDatabase(db), { kind: 'no-workspace', userId: own.users.owner.id });
    for (const { path } of procedures) {
      expect((await outcome(ctx, path, samples[path]?.own())).code, path).toBe('FORBIDDEN');
    }
  });

  test.each(membershipRoles)('%s: allowed exactly where the table says, own workspace only', async (role) => {
    await checkActor(userActor(own, role), (permission) => roleCan(role as MembershipRole, permission));
  });

  test('an agent token holding every grantable action: allowed exactly for those actions', async () => {
    const actions: readonly string[] = tokenActions;
    await checkActor(tokenActor(own), (permission) => actions.includes(permission));
  });

  async function checkActor(actor: Actor, allowed: (permission: keyof typeof permissionTable) => boolean) {
    const samples = procedureSamples(own, foreign);
    const foreignIds = idsOf(foreign);
    for (const { path, permission } of procedures) {
      if (!permission) throw new Error(`${path} has no permission`);
      const sample = samples[path];
      if (!sample) throw new Error(`${path} has no sample`);
      const mine = await outcome(ctxOf(actor), path, sample.own());
      if (!allowed(permission)) {
        expect(mine.code, `${path} own`).toBe('FORBIDDEN');
        if (sample.foreign)
          expect((await outcome(ctxOf(actor), path, sample.foreign())).code).toBe('FORBIDDEN');
        continue;
      }
      expect(refusals, `${path} own: ${mine.code}`).not.toContain(mine.code);
      const leaked = foreignIds.filter((id) => JSON.stringify(mine.output ?? null).includes(id));
      expect(leaked, `${path} shows another workspace's ids`).toEqual([]);
      if (sample.foreign) {
        expect((await outcome(ctxOf(actor), path, sample.foreign())).code, `${path} foreign`).toBe(
          'NOT_FOUND',
        );
      }
    }
  }
});
