// Alerts to the workspace's notification webhook: the monitor (stalls, deviations, security signals)
// hands every raise and resolve here after it committed; the message goes where approval news goes.
import type { AlertNotifier, Database } from '@sluice/db';
import type { EngineLogger } from '@sluice/engine';
import { postToWorkspaceWebhook } from './notifications';

/**
 * @example
 * startOperations({ ..., notify: alertWebhookNotifier({ prisma: db.prisma, log }) });
 */
export function alertWebhookNotifier(options: {
  prisma: Database['prisma'];
  fetch?: typeof globalThis.fetch;
  log?: Pick<EngineLogger, 'warn'>;
}): AlertNotifier {
  return async ({ change, alertId, alert, at }) => {
    const where = alert.runId ? ` (run ${alert.runId}${alert.nodeId ? `, step ${alert.nodeId}` : ''})` : '';
    const text =
      change === 'raised'
        ? `Sluice alert, ${alert.severity}: ${alert.message}${where}`
        : `Sluice alert resolved: ${alert.message}${where}`;
    await postToWorkspaceWebhook(options, alert.workspaceId, {
      text,
      sluice: {
        event: `alert.${change}`,
        alertId,
        kind: alert.kind,
        severity: alert.severity,
        runId: alert.runId ?? null,
        nodeId: alert.nodeId ?? null,
        at: at.toISOString(),
      },
    });
  };
}
