import { initTRPC } from '@trpc/server';
import type { Context } from './context';

/**
 * The one place tRPC is made. Routers may use only what this file exports.
 * Errors carry a code and, for bad input, the paths of the offending fields; never a stack trace.
 */
const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const { stack: _stack, ...data } = shape.data;
    const zodIssues =
      error.code === 'BAD_REQUEST' &&
      error.cause &&
      'issues' in error.cause &&
      Array.isArray(error.cause.issues)
        ? (error.cause.issues as Array<{ path: PropertyKey[]; message: string }>).map((issue) => ({
            path: issue.path.map(String).join('.'),
            message: issue.message,
          }))
        : undefined;
    return { ...shape, data: { ...data, ...(zodIssues ? { issues: zodIssues } : {}) } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/** Read-only showcase procedures until sign-in lands (issue 5 replaces them with permitted ones). */
export const publicProcedure = t.procedure;
