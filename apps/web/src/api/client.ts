import { createTRPCClient, httpBatchLink, isTRPCClientError } from '@trpc/client';
import type { AppRouter, RouterOutputs } from './contract';

/** The typed client for the server's tRPC API, mounted at `/trpc` on the same origin. */
export const api = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: '/trpc', maxItems: 20 })],
});

/** One row of `workflow.list`. */
export type WorkflowSummary = RouterOutputs['workflow']['list'][number];
/** The result of `workflow.get`: a workflow with its editor graph. */
export type WorkflowDetail = RouterOutputs['workflow']['get'];

/**
 * A message fit to show a person: the server's own message when the API answered with an
 * error, a plain sentence when no API answer arrived at all (network down, or a proxy's
 * error page instead of JSON).
 */
export function describeError(error: unknown): string {
  if (isTRPCClientError(error)) {
    if (error.shape !== undefined) return error.message;
    if (error.cause instanceof SyntaxError) {
      return 'The server sent an answer that is not from the Sluice API. It may be restarting; try again shortly.';
    }
    return 'The server could not be reached. Check your connection and try again.';
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
