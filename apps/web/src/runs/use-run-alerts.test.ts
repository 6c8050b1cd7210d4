import { describe, expect, it } from 'vitest';
import { groupAlerts } from './use-run-alerts';

const alert = (id: string, nodeId: string | null, message = `alert ${id}`) => ({
  id,
  kind: 'stall.overdue',
  severity: 'warning' as const,
  message,
  details: null,
  runId: 'r',
  nodeId,
  dedupeKey: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  resolvedAt: null,
  acknowledgedAt: null,
  acknowledgedById: null,
  comment: null,
});

describe('the open alerts of a run, by node', () => {
  it('groups alerts by the node they name and keeps run-wide ones apart', () => {
    const { byNode, runOnly } = groupAlerts(
      [alert('1', 'a'), alert('2', 'b'), alert('3', 'a'), alert('4', null)],
      new Map(),
    );
    expect([...byNode].map(([node, list]) => [node, list.map((a) => a.id)])).toEqual([
      ['a', ['1', '3']],
      ['b', ['2']],
    ]);
    expect(runOnly.map((a) => a.id)).toEqual(['4']);
  });

  it('reuses a node’s list while its alerts stay the same, so only changed nodes redraw', () => {
    const first = groupAlerts([alert('1', 'a'), alert('2', 'b')], new Map());
    const second = groupAlerts([alert('1', 'a'), alert('2', 'b', 'worse now')], first.byNode);
    expect(second.byNode.get('a')).toBe(first.byNode.get('a'));
    expect(second.byNode.get('b')).not.toBe(first.byNode.get('b'));
    expect(groupAlerts([alert('1', 'a')], second.byNode).byNode.has('b')).toBe(false);
  });
});
