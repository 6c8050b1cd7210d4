// Walking the router: every procedure with its path, type and declared permission.
import { z } from 'zod';
import type { Context } from '../context';
import { type Permission, permissions } from '../permissions';
import { appRouter, createCaller } from '../root';

const ProcedureDef = z.object({
  type: z.enum(['query', 'mutation', 'subscription']),
  meta: z.object({ permission: z.enum(permissions).optional() }).optional(),
});

export interface ProcedureEntry {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  /** What the procedure declared through `permitted(...)`; undefined if it did not. */
  permission: Permission | undefined;
}

/** Every procedure of the app router, sorted by path. */
export function procedureEntries(): ProcedureEntry[] {
  // At run time `_def.procedures` is flat, keyed by dotted path (its declared type is the nested record).
  const flat: Record<string, unknown> = appRouter._def.procedures;
  return Object.entries(flat)
    .map(([path, procedure]) => {
      const def = ProcedureDef.parse(
        typeof procedure === 'function' ? Reflect.get(procedure, '_def') : undefined,
      );
      return { path, type: def.type, permission: def.meta?.permission };
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Calls the procedure at `path` (e.g. `workflow.get`) through a server-side caller. */
export function callProcedure(ctx: Context, path: string, input: unknown): Promise<unknown> {
  let target: unknown = createCaller(ctx);
  for (const key of path.split('.')) {
    if ((typeof target !== 'object' && typeof target !== 'function') || target === null)
      throw new Error(`no procedure at ${path}`);
    target = Reflect.get(target, key);
  }
  if (typeof target !== 'function') throw new Error(`no procedure at ${path}`);
  return Promise.resolve(target(input));
}
