// The tRPC client for live data: subscriptions go over server-sent events (resumable by event id),
// everything else over the same batched HTTP link as the rest of the app.
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import type { AppRouter } from '../api/contract';

/** A client whose subscriptions use `EventSource` against `/trpc` on the same origin. */
export const liveApi = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: '/trpc', eventSourceOptions: { withCredentials: true } }),
      false: httpBatchLink({ url: '/trpc', maxItems: 20 }),
    }),
  ],
});
