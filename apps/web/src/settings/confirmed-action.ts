import { describeError } from '../api/client';

/**
 * A destructive settings action: asks first, clears the last error, runs `action`, then reloads the
 * list, or shows what went wrong.
 *
 * @example
 * onClick={() => confirmedAction(`Revoke “${name}”?`, () => api.token.revoke.mutate({ id }), { reload, setError })}
 */
export function confirmedAction(
  question: string,
  action: () => Promise<unknown>,
  on: { reload: () => void; setError: (message: string | null) => void },
): void {
  if (!window.confirm(question)) return;
  on.setError(null);
  action().then(on.reload, (err: unknown) => on.setError(describeError(err)));
}
