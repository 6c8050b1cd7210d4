// The open alerts of one run, refetched when workspace news says alerts changed, grouped by the node
// each names (the canvas badges) plus those naming the run only. A node's list keeps its identity
// while its alerts stay the same, so the canvas re-renders only nodes whose badges changed.
import { useCallback, useRef } from 'react';
import { api } from '../api/client';
import type { RouterOutputs } from '../api/contract';
import { fallbackPollMs } from '../live/fallback-poll';
import { usePolledQuery } from '../live/use-polled-query';
import type { NodeAlert } from './run-canvas';

type Alerts = RouterOutputs['alert']['list'];

type Grouped = { byNode: ReadonlyMap<string, readonly NodeAlert[]>; runOnly: readonly NodeAlert[] };
const NONE: Grouped = { byNode: new Map(), runOnly: [] };

/** Groups alerts by node; lists equal to `previous` ones (same ids) are reused. */
export function groupAlerts(
  alerts: readonly Alerts[number][],
  previous: ReadonlyMap<string, readonly NodeAlert[]>,
): { byNode: Map<string, readonly NodeAlert[]>; runOnly: NodeAlert[] } {
  const byNode = new Map<string, NodeAlert[]>();
  const runOnly: NodeAlert[] = [];
  for (const alert of alerts) {
    const badge = { id: alert.id, kind: alert.kind, severity: alert.severity, message: alert.message };
    if (alert.nodeId === null) runOnly.push(badge);
    else byNode.set(alert.nodeId, [...(byNode.get(alert.nodeId) ?? []), badge]);
  }
  const stable = new Map<string, readonly NodeAlert[]>();
  for (const [nodeId, list] of byNode) {
    const before = previous.get(nodeId);
    const same =
      before !== undefined &&
      before.length === list.length &&
      before.every((a, i) => a.id === list[i]?.id && a.message === list[i]?.message);
    stable.set(nodeId, same ? before : list);
  }
  return { byNode: stable, runOnly };
}

/** Open alerts of `runId` (none when `enabled` is false: the role may not read alerts). */
export function useRunAlerts(
  runId: string,
  enabled: boolean,
): { byNode: ReadonlyMap<string, readonly NodeAlert[]>; runOnly: readonly NodeAlert[] } {
  // Each load reuses the lists of the previous one that did not change.
  const previous = useRef<ReadonlyMap<string, readonly NodeAlert[]>>(new Map());
  const load = useCallback(
    async (signal: AbortSignal) => {
      const alerts = enabled
        ? await api.alert.list.query({ runId, status: 'open', limit: 100 }, { signal })
        : [];
      const grouped = groupAlerts(alerts, previous.current);
      previous.current = grouped.byNode;
      return grouped;
    },
    [runId, enabled],
  );
  const alerts = usePolledQuery<Grouped>(
    `alert.list:run:${runId}:${enabled}`,
    load,
    fallbackPollMs(),
    enabled ? 'alerts' : undefined,
  );
  return alerts.status === 'loading' || alerts.data === null ? NONE : alerts.data;
}
