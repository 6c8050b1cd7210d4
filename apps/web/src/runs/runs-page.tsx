// The runs section: `#/runs` lists runs, `#/runs/<id>` watches one, `#/runs/<id>/steps/<node>` opens
// a step in its inspector.
import type { Me } from '../auth/use-session';
import { RunView } from './run-view';
import { RunsList } from './runs-list';

export function RunsPage({ rest, me }: { rest: readonly string[]; me: Me }) {
  const [runId, sub, nodeId] = rest;
  if (runId === undefined) return <RunsList me={me} />;
  return <RunView runId={runId} nodeId={sub === 'steps' && nodeId !== undefined ? nodeId : null} me={me} />;
}
