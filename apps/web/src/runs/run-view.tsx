// One run: its header and progress, the canvas with the live overlay (open alerts as badges on the
// nodes they name, "k of n" on waiting gates), the timeline, and the step inspector for the chosen
// node, or the decision panel / task form of a waiting one. Operators may cancel the run, retry or
// rerun from a step, and roll back a step or the run, each confirmed and recorded in the audit trail.
import { useCallback, useMemo, useState } from 'react';
import { api, describeError } from '../api/client';
import type { EditorGraph, RouterOutputs } from '../api/contract';
import { useQuery } from '../api/use-query';
import type { Me } from '../auth/use-session';
import { fullDate, timeAgo } from '../format';
import { useRunWatch } from '../live/use-run-watch';
import type { LiveStatus } from '../live/watch-run';
import { navigate, sectionHref } from '../routes';
import { RetryButton, StatusPane } from '../ui/status';
import { ConfirmDialog } from './confirm-dialog';
import { rerunScope, stepActions } from './operations';
import { RerunStep, Rollback } from './operator-actions';
import { isFinished, progress, type RunOverlay } from './overlay';
import { RunCanvas } from './run-canvas';
import { StatusBadge } from './run-status';
import { DecisionPanel } from '../approvals/decision-panel';
import { StepInspector } from './step-inspector';
import { Timeline } from './timeline';
import { useGateTallies } from './use-gate-tallies';
import { useRunAlerts } from './use-run-alerts';
import { useRunFollow } from './use-run-follow';

type Run = RouterOutputs['run']['get'];

const LIVE_TEXT: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  ended: 'Finished',
  error: 'Live updates stopped',
};

function CancelRun({ runId, onDone }: { runId: string; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button type="button" className="sl-button sl-button--danger" onClick={() => setOpen(true)}>
        Cancel run
      </button>
      <ConfirmDialog
        open={open}
        title="Cancel this run?"
        confirmLabel={busy ? 'Cancelling…' : 'Cancel run'}
        dismissLabel="Keep running"
        danger
        busy={busy}
        onDismiss={() => setOpen(false)}
        onConfirm={() => {
          setBusy(true);
          setError(null);
          api.run.cancel
            .mutate({ id: runId, ...(reason.trim() ? { reason: reason.trim() } : {}) })
            .then(
              () => {
                setOpen(false);
                onDone();
              },
              (e: unknown) => setError(describeError(e)),
            )
            .finally(() => setBusy(false));
        }}
      >
        <p>
          Steps still running are stopped and nothing after them runs. This is recorded in the audit trail.
        </p>
        <label className="sl-field">
          <span className="sl-field__label">Reason (optional)</span>
          <textarea
            className="sl-input"
            value={reason}
            maxLength={500}
            rows={2}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
        {error !== null && (
          <p className="sl-form-error" role="alert">
            {error}
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}

/** The actions the chosen step offers an operator, beside the step inspector. */
function StepActionsBar({
  run,
  graph,
  overlay,
  nodeId,
  runState,
  labelOf,
  onDone,
}: {
  run: Run;
  graph: EditorGraph;
  overlay: RunOverlay;
  nodeId: string;
  runState: string;
  labelOf: (id: string) => string;
  onDone: () => void;
}) {
  const node = graph.nodes.find((n) => n.id === nodeId);
  const state = overlay.nodes.get(nodeId);
  if (!node || !state || state.compensating) return null;
  const actions = stepActions({ kind: node.kind, state: state.state, runState });
  if (!actions.retry && !actions.rerun && !actions.rollback) return null;
  const scope = actions.retry || actions.rerun ? rerunScope(graph, overlay.nodes, nodeId) : [];
  return (
    <div className="sl-step-actions" role="group" aria-label={`Actions on ${labelOf(nodeId)}`}>
      {(actions.retry || actions.rerun) && (
        <RerunStep
          runId={run.id}
          nodeId={nodeId}
          mode={actions.retry ? 'retry' : 'rerun'}
          scope={scope}
          labelOf={labelOf}
          onDone={onDone}
        />
      )}
      {actions.rollback && <Rollback runId={run.id} nodeId={nodeId} labelOf={labelOf} onDone={onDone} />}
    </div>
  );
}

function LiveRun({
  run,
  graph,
  me,
  nodeId,
}: {
  run: Run;
  graph: EditorGraph;
  me: Me;
  nodeId: string | null;
}) {
  const nodeIds = useMemo(() => graph.nodes.map((n) => n.id), [graph]);
  const watched = useRunWatch(run.id, nodeIds);
  const followed = useRunFollow(run.id, watched.overlay, watched.status);
  const { status, follow } = followed;
  const message = watched.message;
  const gates = useMemo(
    () => new Set(graph.nodes.filter((n) => n.kind === 'gate').map((n) => n.id)),
    [graph],
  );
  const overlay = useGateTallies(run.id, followed.overlay, gates, me.permissions.includes('approval:read'));
  const alerts = useRunAlerts(run.id, me.permissions.includes('alert:read'));
  const labels = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n.label])), [graph]);
  const labelOf = useCallback((id: string) => labels.get(id) ?? id, [labels]);
  const open = useCallback((id: string) => navigate('runs', run.id, 'steps', id), [run.id]);
  const { done, total } = progress(overlay);
  const runState: string = overlay.lastSeq > 0 ? overlay.run : run.status;
  const canOperate = me.permissions.includes('run:operate');
  const [cancelRequested, setCancelRequested] = useState(false);
  const percent = total === 0 ? 0 : Math.round((done / total) * 100);
  const chosen = nodeId !== null ? overlay.nodes.get(nodeId) : undefined;
  const deciding = chosen?.state === 'waiting' && me.permissions.includes('approval:read');
  const hasSideEffects = graph.nodes.some(
    (n) =>
      overlay.nodes.get(n.id)?.state === 'succeeded' &&
      stepActions({ kind: n.kind, state: 'succeeded', runState }).rollback,
  );

  return (
    <div className="sl-run">
      <header className="sl-run__header">
        <div className="sl-run__title-row">
          <h1 className="sl-run__title">{run.workflowName}</h1>
          <span className="sl-tag">v{run.version}</span>
          <StatusBadge status={runState} />
          <span className="sl-live" data-live={status} role="status" title={message ?? undefined}>
            {LIVE_TEXT[status]}
          </span>
          {alerts.runOnly.length > 0 && (
            <a className="sl-run__alerts" href={sectionHref('alerts', alerts.runOnly[0]?.id ?? '')}>
              {alerts.runOnly.length === 1 ? '1 open alert' : `${alerts.runOnly.length} open alerts`}
            </a>
          )}
          <div className="sl-run__actions">
            {me.permissions.includes('audit:read') && (
              <a className="sl-button sl-button--quiet" href={sectionHref('audit', run.id)}>
                Audit trail
              </a>
            )}
            {canOperate && isFinished(runState) && hasSideEffects && (
              <Rollback runId={run.id} labelOf={labelOf} onDone={follow} />
            )}
            {canOperate && !isFinished(runState) && !cancelRequested && (
              <CancelRun runId={run.id} onDone={() => setCancelRequested(true)} />
            )}
          </div>
        </div>
        <dl className="sl-facts sl-facts--inline">
          <div>
            <dt>Run</dt>
            <dd>
              <code>{run.id}</code>
            </dd>
          </div>
          <div>
            <dt>Started by</dt>
            <dd>{run.initiatedByName ?? 'a trigger'}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>
              <time dateTime={run.createdAt} title={fullDate(run.createdAt)}>
                {timeAgo(run.createdAt)}
              </time>
            </dd>
          </div>
        </dl>
        <div className="sl-progress">
          <progress
            className="sl-progress__bar"
            max={total}
            value={done}
            aria-label="Run progress"
            aria-valuetext={`${done} of ${total} steps done`}
          />
          <span className="sl-progress__text">
            {done} of {total} steps · {percent}%
          </span>
        </div>
        {overlay.runError !== null && (
          <p className="sl-form-error" role="alert">
            {overlay.runError}
          </p>
        )}
      </header>
      <div className={`sl-run__body${nodeId !== null ? ' sl-run__body--inspecting' : ''}`}>
        <RunCanvas
          graph={graph}
          overlay={overlay}
          selected={nodeId}
          onOpen={open}
          title={run.workflowName}
          alerts={alerts.byNode}
        />
        <Timeline events={overlay.timeline} labelOf={labelOf} />
        {nodeId !== null && deciding && (
          <DecisionPanel
            key={`decide-${nodeId}-${chosen?.attempt ?? 0}`}
            runId={run.id}
            nodeId={nodeId}
            onClose={() => navigate('runs', run.id)}
          />
        )}
        {nodeId !== null && !deciding && (
          <StepInspector
            key={nodeId}
            runId={run.id}
            nodeId={nodeId}
            label={labelOf(nodeId)}
            overlay={chosen}
            onClose={() => navigate('runs', run.id)}
            actions={
              canOperate ? (
                <StepActionsBar
                  run={run}
                  graph={graph}
                  overlay={overlay}
                  nodeId={nodeId}
                  runState={runState}
                  labelOf={labelOf}
                  onDone={follow}
                />
              ) : null
            }
          />
        )}
      </div>
    </div>
  );
}

/** `#/runs/<id>` and `#/runs/<id>/steps/<node>`. */
export function RunView({ runId, nodeId, me }: { runId: string; nodeId: string | null; me: Me }) {
  const load = useCallback((signal: AbortSignal) => api.run.get.query({ id: runId }, { signal }), [runId]);
  const run = useQuery<Run>(`run.get:${runId}`, load);
  if (run.status === 'loading') return <StatusPane tone="loading" title="Loading run…" />;
  if (run.status === 'error')
    return (
      <StatusPane tone="error" title="Could not load this run" action={<RetryButton onRetry={run.retry} />}>
        {run.message}
      </StatusPane>
    );
  if (run.data.graph === null)
    return (
      <StatusPane tone="error" title="This run's workflow version has no canvas">
        Its graph could not be read; the run's events are still in the audit trail.
      </StatusPane>
    );
  return <LiveRun key={run.data.id} run={run.data} graph={run.data.graph} me={me} nodeId={nodeId} />;
}
