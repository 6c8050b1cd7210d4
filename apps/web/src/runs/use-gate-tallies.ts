// "k of n" on waiting gates: a `wait.decided` event carries the tally, but a gate nobody has decided
// yet (or a page opened mid-wait) knows its quorum only from the approval itself, read once per wait
// here. The tally is merged into the node's overlay; each merged node keeps its identity while its
// overlay and tally stay the same.
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import type { NodeOverlay, RunOverlay } from './overlay';

type Tally = { approvals: number; quorum: number };

/** The wait a tally belongs to: a new attempt of the gate is a new wait. */
const waitKey = (nodeId: string, overlay: NodeOverlay) => `${nodeId}:${overlay.attempt}`;

/**
 * `overlay` with the approvals and quorum of each waiting gate filled in from `approval.get` when no
 * event has told them yet. `enabled` is false for roles that may not read approvals.
 */
export function useGateTallies(
  runId: string,
  overlay: RunOverlay,
  gates: ReadonlySet<string>,
  enabled: boolean,
): RunOverlay {
  const [tallies, setTallies] = useState<ReadonlyMap<string, Tally>>(new Map());
  const wanted = useMemo(() => {
    const keys: { nodeId: string; key: string }[] = [];
    for (const nodeId of gates) {
      const node = overlay.nodes.get(nodeId);
      if (node?.state === 'waiting' && node.quorum === null)
        keys.push({ nodeId, key: waitKey(nodeId, node) });
    }
    return keys;
  }, [gates, overlay.nodes]);
  const missing = wanted.filter((w) => !tallies.has(w.key));
  const missingKey = missing.map((w) => w.key).join(',');

  useEffect(() => {
    if (!enabled || missingKey === '') return;
    const controller = new AbortController();
    for (const { nodeId, key } of missing) {
      api.approval.get.query({ runId, nodeId }, { signal: controller.signal }).then(
        (approval) => {
          const approvals = 'approvals' in approval ? approval.approvals : undefined;
          const quorum = 'quorum' in approval ? approval.quorum : undefined;
          if (typeof approvals === 'number' && typeof quorum === 'number')
            setTallies((current) => new Map(current).set(key, { approvals, quorum }));
        },
        // No tally is shown when the approval cannot be read; the decision panel says why.
        () => undefined,
      );
    }
    return () => controller.abort();
    // `missing` is derived from `missingKey`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runId, enabled, missingKey]);

  const [merged] = useState(() => new WeakMap<NodeOverlay, { tally: Tally; node: NodeOverlay }>());
  return useMemo(() => {
    if (wanted.length === 0) return overlay;
    const nodes = new Map(overlay.nodes);
    for (const { nodeId, key } of wanted) {
      const node = overlay.nodes.get(nodeId);
      const tally = tallies.get(key);
      if (!node || !tally) continue;
      const cached = merged.get(node);
      if (cached && cached.tally === tally) {
        nodes.set(nodeId, cached.node);
        continue;
      }
      const next = { ...node, approvals: tally.approvals, quorum: tally.quorum };
      merged.set(node, { tally, node: next });
      nodes.set(nodeId, next);
    }
    return { ...overlay, nodes };
  }, [overlay, wanted, tallies, merged]);
}
