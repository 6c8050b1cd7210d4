// Alerts of the workspace, newest first, refreshed every few seconds; those who may acknowledge one
// say what was done about it (recorded in the audit trail).
import { useCallback, useState } from 'react';
import { api, describeError } from '../api/client';
import type { RouterOutputs } from '../api/contract';
import type { Me } from '../auth/use-session';
import { fullDate, timeAgo } from '../format';
import { usePolledQuery } from '../live/use-polled-query';
import { sectionHref } from '../routes';
import { RetryButton, StatusPane } from '../ui/status';

type Alerts = RouterOutputs['alert']['list'];
type Alert = Alerts[number];
type Status = 'open' | 'acknowledged' | 'all';

function Acknowledge({ alert, onDone }: { alert: Alert; onDone: () => void }) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="sl-inline-form"
      aria-label={`Acknowledge alert: ${alert.message}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!comment.trim()) {
          setError('Say what was done about it');
          return;
        }
        setBusy(true);
        api.alert.acknowledge
          .mutate({ id: alert.id, comment: comment.trim() })
          .then(onDone, (err: unknown) => setError(describeError(err)))
          .finally(() => setBusy(false));
      }}
    >
      <label className="sl-field">
        <span className="sl-field__label">What was done</span>
        <input
          className="sl-input"
          value={comment}
          maxLength={2000}
          onChange={(e) => setComment(e.target.value)}
        />
      </label>
      <button type="submit" className="sl-button" disabled={busy}>
        Acknowledge
      </button>
      {error !== null && (
        <span className="sl-field__error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

export function AlertsPage({ me }: { me: Me }) {
  const [status, setStatus] = useState<Status>('open');
  const load = useCallback(
    (signal: AbortSignal) => api.alert.list.query({ status, limit: 100 }, { signal }),
    [status],
  );
  const alerts = usePolledQuery<Alerts>(`alert.list:${status}`, load, 3000);
  const canAck = me.permissions.includes('alert:ack');
  if (!me.permissions.includes('alert:read'))
    return (
      <StatusPane tone="empty" title="Alerts are not open to your role">
        Owners, operators and auditors see them.
      </StatusPane>
    );
  const rows = alerts.status === 'loading' ? null : alerts.data;
  return (
    <div className="sl-page">
      <header className="sl-page__head">
        <h1 className="sl-page__title">Alerts</h1>
        <label className="sl-field sl-field--inline">
          <span className="sl-field__label">Show</span>
          <select
            className="sl-input"
            value={status}
            onChange={(e) =>
              setStatus(
                e.target.value === 'acknowledged'
                  ? 'acknowledged'
                  : e.target.value === 'all'
                    ? 'all'
                    : 'open',
              )
            }
          >
            <option value="open">Open</option>
            <option value="acknowledged">Acknowledged</option>
            <option value="all">All</option>
          </select>
        </label>
      </header>
      {alerts.status === 'loading' && <StatusPane tone="loading" title="Loading alerts…" />}
      {alerts.status === 'error' && (
        <StatusPane
          tone="error"
          title="Could not load alerts"
          action={<RetryButton onRetry={alerts.refresh} />}
        >
          {alerts.message}
        </StatusPane>
      )}
      {rows !== null && rows.length === 0 && (
        <StatusPane tone="empty" title={status === 'open' ? 'No open alerts' : 'No alerts'}>
          Stalls, anomalies and security signals appear here as they happen.
        </StatusPane>
      )}
      {rows !== null && rows.length > 0 && (
        <ul className="sl-alerts" aria-label="Alerts">
          {rows.map((alert) => (
            <li key={alert.id} className="sl-alert" data-severity={alert.severity}>
              <div className="sl-alert__head">
                <span className="sl-alert__severity">{alert.severity}</span>
                <span className="sl-alert__kind">{alert.kind}</span>
                <time dateTime={alert.createdAt} title={fullDate(alert.createdAt)}>
                  {timeAgo(alert.createdAt)}
                </time>
              </div>
              <p className="sl-alert__message">{alert.message}</p>
              {alert.runId !== null && (
                <a href={sectionHref('runs', alert.runId, ...(alert.nodeId ? ['steps', alert.nodeId] : []))}>
                  Open the run
                </a>
              )}
              {alert.acknowledgedAt !== null ? (
                <p className="sl-muted">
                  Acknowledged {timeAgo(alert.acknowledgedAt)}
                  {alert.comment ? `: ${alert.comment}` : ''}
                </p>
              ) : (
                canAck && <Acknowledge alert={alert} onDone={alerts.refresh} />
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
