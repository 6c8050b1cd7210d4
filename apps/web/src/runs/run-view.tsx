// One run: its header and progress, the canvas with the live overlay, the timeline, and the step
// inspector for the chosen node. Operators may cancel it (confirmed, recorded in the audit trail).
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
import { isFinished, progress } from './overlay';
import { RunCanvas } from './run-canvas';
import { StatusBadge } from './run-status';
import { DecisionPanel } from '../approvals/decision-panel';
import { StepInspector } from './step-inspector';
import { Timeline } from './timeline';

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
  const { overlay, status, message } = useRunWatch(run.id, nodeIds);
  const labels = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n.label])), [graph]);
  const labelOf = useCallback((id: string) => labels.get(id) ?? id, [labels]);
  const open = useCallback((id: string) => navigate('runs', run.id, 'steps', id), [run.id]);
  const { done, total } = progress(overlay);
  const runState: string = overlay.lastSeq > 0 ? overlay.run : run.status;
  const canOperate = me.permissions.includes('run:operate');
  const [cancelRequested, setCancelRequested] = useState(false);
  const percent = total === 0 ? 0 : Math.round((done / total) * 100);

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
          <div className="sl-run__actions">
            {me.permissions.includes('audit:read') && (
              <a className="sl-button sl-button--quiet" href={sectionHref('audit', run.id)}>
                Audit trail
              </a>
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
        <RunCanvas graph={graph} overlay={overlay} selected={nodeId} onOpen={open} title={run.workflowName} />
        <Timeline events={overlay.timeline} labelOf={labelOf} />
        {nodeId !== null &&
          overlay.nodes.get(nodeId)?.state === 'waiting' &&
          me.permissions.includes('approval:read') && (
            <DecisionPanel
              key={`decide-${nodeId}`}
              runId={run.id}
              nodeId={nodeId}
              onClose={() => navigate('runs', run.id)}
            />
          )}
        {nodeId !== null &&
          !(overlay.nodes.get(nodeId)?.state === 'waiting' && me.permissions.includes('approval:read')) && (
            <StepInspector
              key={nodeId}
              runId={run.id}
              nodeId={nodeId}
              label={labelOf(nodeId)}
              overlay={overlay.nodes.get(nodeId)}
              onClose={() => navigate('runs', run.id)}
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
