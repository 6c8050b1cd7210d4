import { isTRPCClientError } from '@trpc/client';
import { useCallback, useEffect, useState } from 'react';
import { api, describeError } from '../api/client';
import type { RouterOutputs } from '../api/contract';

export type Me = RouterOutputs['session']['me'];

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; me: Me }
  | { status: 'error'; message: string };

/** Who is signed in (`session.me`), re-read on demand after signing in or out. */
export function useSession(): { state: SessionState; reload: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    api.session.me.query(undefined, { signal: controller.signal }).then(
      (me) => {
        if (!controller.signal.aborted) setState({ status: 'signed-in', me });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (isTRPCClientError(error) && error.data?.code === 'UNAUTHORIZED')
          setState({ status: 'signed-out' });
        else setState({ status: 'error', message: describeError(error) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, reload };
}
