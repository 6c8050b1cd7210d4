// A subscription outliving its token: a stream opened by an agent token ends when the token
// expires, like any request made after that instant would be refused.
import type { Actor } from '../context';

/** setTimeout's longest delay (about 24.8 days); longer waits are re-armed. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Calls `onExpire` when a token actor's `expiresAt` passes (never for a member). Returns a cancel
 * function to call when the stream ends first.
 *
 * @example
 * const cancel = whenTokenExpires(ctx.actor, () => stop.abort());
 * try { … } finally { cancel(); }
 */
export function whenTokenExpires(actor: Actor, onExpire: () => void): () => void {
  if (actor.type !== 'token' || !actor.expiresAt) return () => {};
  const expiresAt = actor.expiresAt.getTime();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) return onExpire();
    timer = setTimeout(arm, Math.min(left, MAX_DELAY_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
