// In-process notice that a member's role changed, a member was removed or a token revoked, so that
// long-lived subscriptions (run.watch) re-check their permission instead of trusting what held at
// connect.
// One process only: several server processes would relay these over LISTEN/NOTIFY.
import { EventEmitter } from 'node:events';

export interface MembershipChange {
  workspaceId: string;
  /** The member whose role changed, or a token that was revoked. */
  actor: { type: 'user' | 'token'; id: string };
  /** The new role, or null when the member was removed (or the token revoked). */
  role: string | null;
}

/**
 * @example
 * const events = new MembershipEvents();
 * const stop = events.subscribe((change) => console.log(change.actor.id, change.role));
 * events.publish({ workspaceId, actor: { type: 'user', id: userId }, role: 'auditor' });
 * stop();
 */
export class MembershipEvents {
  readonly #emitter = new EventEmitter();

  constructor() {
    // One listener per open subscription: many are expected, none is a leak.
    this.#emitter.setMaxListeners(0);
  }

  publish(change: MembershipChange): void {
    this.#emitter.emit('change', change);
  }

  subscribe(listener: (change: MembershipChange) => void): () => void {
    this.#emitter.on('change', listener);
    return () => this.#emitter.off('change', listener);
  }
}
