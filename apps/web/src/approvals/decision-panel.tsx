// The decision panel of one waiting gate (or human task): what is being approved (and what changed
// since the attempt a rerun replaced, when there was one), why it needs review (the rule that
// matched, the validators' findings), who has decided so far, and Approve / Reject with a comment;
// for a task, its instructions and the form to answer (task-answer.tsx). When the viewer may not
// decide, it says why; the server refuses regardless.
import { useCallback, useState } from 'react';
import { api, describeError } from '../api/client';
import type { RouterOutputs } from '../api/contract';
import { useQuery } from '../api/use-query';
import { fullDate, timeAgo } from '../format';
import { JsonView } from '../runs/json-view';
import { RetryButton, StatusPane } from '../ui/status';
import { PayloadChanges } from './payload-changes';
import { TaskAnswer } from './task-answer';

type Approval = RouterOutputs['approval']['get'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the reviewer is shown: the summary, the labelled values the gate lists, then the whole input. */
function Payload({ payload }: { payload: unknown }) {
  if (!isRecord(payload)) return <JsonView label="Payload" value={payload} />;
  const shown = Array.isArray(payload.shown) ? payload.shown.filter(isRecord) : [];
  return (
    <section className="sl-inspector__section" aria-labelledby="payload-heading">
      <h3 id="payload-heading" className="sl-inspector__heading">
        What is being approved
      </h3>
      {typeof payload.summary === 'string' && payload.summary !== '' && <p>{payload.summary}</p>}
      {shown.length > 0 && (
        <dl className="sl-facts">
          {shown.map((item, index) => (
            <div key={index}>
              <dt>{typeof item.label === 'string' ? item.label : `Value ${index + 1}`}</dt>
              <dd>{typeof item.value === 'string' ? item.value : JSON.stringify(item.value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {'input' in payload && <JsonView label="Payload" value={payload.input} />}
      {!('input' in payload) && shown.length === 0 && <JsonView label="Payload" value={payload} />}
    </section>
  );
}

function Decide({ approval, onDecided }: { approval: Approval; onDecided: () => void }) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const decide = (verdict: 'approve' | 'reject') => {
    if (verdict === 'reject' && comment.trim() === '') {
      setError('Say why you reject it');
      return;
    }
    setBusy(true);
    setError(null);
    api.approval.decide
      .mutate({
        runId: approval.runId,
        nodeId: approval.nodeId,
        verdict,
        comment: comment.trim(),
        payloadHash: approval.payloadHash,
      })
      .then(onDecided, (e: unknown) => setError(describeError(e)))
      .finally(() => setBusy(false));
  };
  const disabled = !approval.mayDecide || approval.status !== 'open' || busy;
  return (
    <section className="sl-inspector__section sl-decide" aria-labelledby="decide-heading">
      <h3 id="decide-heading" className="sl-inspector__heading">
        Your decision
      </h3>
      {!approval.mayDecide && (
        <p className="sl-inspector__note" role="note" id="why-not">
          You may not decide: {approval.why}
        </p>
      )}
      <label className="sl-field">
        <span className="sl-field__label">Comment</span>
        <textarea
          className="sl-input"
          rows={3}
          maxLength={2000}
          value={comment}
          disabled={disabled}
          onChange={(e) => setComment(e.target.value)}
        />
      </label>
      <div className="sl-dialog__actions">
        <button
          type="button"
          className="sl-button sl-button--danger"
          disabled={disabled}
          aria-describedby={!approval.mayDecide ? 'why-not' : undefined}
          onClick={() => decide('reject')}
        >
          Reject
        </button>
        <button
          type="button"
          className="sl-button sl-button--primary"
          disabled={disabled}
          aria-describedby={!approval.mayDecide ? 'why-not' : undefined}
          onClick={() => decide('approve')}
        >
          Approve
        </button>
      </div>
      {error !== null && (
        <p className="sl-form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function Body({ approval, onDecided }: { approval: Approval; onDecided: () => void }) {
  const gate = approval.gate;
  return (
    <>
      <dl className="sl-facts">
        <div>
          <dt>Workflow</dt>
          <dd>
            {approval.workflow.name} v{approval.workflow.version}
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{approval.status}</dd>
        </div>
        {'approvals' in approval && typeof approval.approvals === 'number' && (
          <div>
            <dt>Approvals</dt>
            <dd>
              {approval.approvals} of {'quorum' in approval ? approval.quorum : '?'}
            </dd>
          </div>
        )}
        <div>
          <dt>Waiting since</dt>
          <dd>
            <time dateTime={approval.createdAt} title={fullDate(approval.createdAt)}>
              {timeAgo(approval.createdAt)}
            </time>
          </dd>
        </div>
        {approval.expiresAt !== null && (
          <div>
            <dt>Expires</dt>
            <dd>{fullDate(approval.expiresAt)}</dd>
          </div>
        )}
      </dl>
      {approval.kind === 'gate' && <Payload payload={approval.payload} />}
      {approval.previous !== null && (
        <PayloadChanges
          previous={{ attempt: approval.previous.attempt, payload: approval.previous.payload }}
          current={approval.payload}
        />
      )}
      {gate !== null && (
        <section className="sl-inspector__section" aria-labelledby="why-heading">
          <h3 id="why-heading" className="sl-inspector__heading">
            Why it needs review
          </h3>
          <JsonView label="Rule that matched" value={gate.rule} />
          <p className="sl-muted">
            Approvers: {JSON.stringify(gate.approvers)} · quorum {gate.quorum}
            {gate.escalated ? ' · escalated' : ''}
          </p>
        </section>
      )}
      {approval.findings.length > 0 && (
        <section className="sl-inspector__section" aria-labelledby="approval-findings-heading">
          <h3 id="approval-findings-heading" className="sl-inspector__heading">
            Validators’ findings <span className="sl-count">{approval.findings.length}</span>
          </h3>
          <JsonView label="Findings" value={approval.findings} />
        </section>
      )}
      {gate !== null && (
        <section className="sl-inspector__section" aria-labelledby="decisions-heading">
          <h3 id="decisions-heading" className="sl-inspector__heading">
            Decisions so far
          </h3>
          {gate.decisions.length === 0 ? (
            <p className="sl-muted">Nobody has decided yet.</p>
          ) : (
            <ul className="sl-logs" aria-label="Decisions">
              {gate.decisions.map((d, index) => (
                <li key={index} className="sl-logs__line">
                  {d.name ?? d.email ?? d.userId} {d.verdict === 'approve' ? 'approved' : 'rejected'}{' '}
                  {timeAgo(d.at)}
                  {d.comment ? `: “${d.comment}”` : ''}
                  {!d.onThisPayload && ' (on earlier data)'}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {approval.kind === 'gate' && <Decide approval={approval} onDecided={onDecided} />}
      {approval.task !== null && (
        <>
          <p className="sl-muted">
            For the {approval.task.role} role
            {approval.task.assignees.length > 0 ? `, assigned to ${approval.task.assignees.join(', ')}` : ''}
          </p>
          <TaskAnswer approval={approval} onAnswered={onDecided} />
        </>
      )}
    </>
  );
}

/** The panel for the wait at `nodeId` of `runId`. */
export function DecisionPanel({
  runId,
  nodeId,
  onClose,
  closeLabel = 'Close decision panel',
}: {
  runId: string;
  nodeId: string;
  onClose: () => void;
  closeLabel?: string;
}) {
  const [attempt, setAttempt] = useState(0);
  const load = useCallback(
    (signal: AbortSignal) => api.approval.get.query({ runId, nodeId }, { signal }),
    [runId, nodeId],
  );
  const approval = useQuery<Approval>(`approval.get:${runId}:${nodeId}:${attempt}`, load);
  const title = approval.status === 'success' ? approval.data.title : 'Approval';
  const heading = approval.status === 'success' && approval.data.kind === 'human' ? 'Task' : 'Review';
  return (
    <aside className="sl-inspector" aria-labelledby="decision-heading">
      <header className="sl-inspector__head">
        <h2 id="decision-heading" className="sl-panel-title">
          {heading}: {title}
        </h2>
        <button
          type="button"
          className="sl-button sl-button--quiet"
          onClick={onClose}
          aria-label={closeLabel}
        >
          Close
        </button>
      </header>
      {approval.status === 'loading' && <StatusPane tone="loading" title="Loading the review…" />}
      {approval.status === 'error' && (
        <StatusPane
          tone="error"
          title="Could not load this review"
          action={<RetryButton onRetry={approval.retry} />}
        >
          {approval.message}
        </StatusPane>
      )}
      {approval.status === 'success' && (
        <Body approval={approval.data} onDecided={() => setAttempt((n) => n + 1)} />
      )}
    </aside>
  );
}
