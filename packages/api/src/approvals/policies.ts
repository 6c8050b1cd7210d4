// What `sluice start` and `sluice worker` hand to createEngine: the expiry policies of gates and human
// tasks, and (optionally) this process's share of the outgoing approval notifications.
import type { WaitPolicies } from '@sluice/engine';
import { expiryPolicies } from './deciders';
import { ApprovalNotifier, type NotifierOptions } from './notifications';

/**
 * The wait policies for `createEngine({ waitPolicies })`. With `notifications`, this process also
 * posts approval news to the workspaces' webhooks every `intervalMs` (default 2 s; several processes
 * share the work through a locked cursor, so each piece of news is sent once). The poller's timer
 * does not keep the process alive.
 *
 * @example
 * createEngine({ store, executors: serverExecutors, waitPolicies: approvalWaitPolicies({ notifications: { prisma: db.prisma, log } }) });
 */
export function approvalWaitPolicies(
  options: { notifications?: NotifierOptions & { intervalMs?: number } } = {},
): WaitPolicies {
  if (options.notifications) {
    new ApprovalNotifier(options.notifications).start(options.notifications.intervalMs ?? 2_000);
  }
  return expiryPolicies();
}
