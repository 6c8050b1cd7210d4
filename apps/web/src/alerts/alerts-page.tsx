// Alerts of the workspace, newest first, refreshed as they change: open ones (the condition still
// holds and nobody acknowledged it) apart from resolved ones (the monitor saw the condition clear).
// Those who may acknowledge one say what was done about it (recorded in the audit trail).
// `#/alerts/<id>` (a run node's badge) shows that alert, whatever its state.
import { useCallback, useEffect, useState } from 'react';
import { api, describeError } from '../api/client';
import type { RouterOutputs } from '../api/contract';
import type { Me } from '../auth/use-session';
import { fullDate, timeAgo } from '../format';
import { fallbackPollMs } from '../live/fallback-poll';
import { usePolledQuery } from '../live/use-polled-query';
import { navigate, sectionHref, useSectionRoute } from '../routes';
import { RetryButton, StatusPane } from '../ui/status';

type Alerts = RouterOutputs['alert']['list'];
type Alert = Alerts[number];
type Status = 'open' | 'active' | 'resolved' | 'unacknowledged' | 'acknowledged' | 'all';

const STATUS_LABELS: Record<Status, string> = {
  open: 'Open',
  active: 'Ongoing (acknowledged or not)',
  resolved: 'Resolved',
  unacknowledged: 'Not acknowledged',
  acknowledged: 'Acknowledged',
  all: 'All',
};

function isStatus(value: string): value is Status {
  return value in STATUS_LABELS;
}

/** Where the alert stands: its condition (ongoing or resolved) and whether someone acknowledged it. */
function AlertState({ alert }: { alert: Alert }) {
  return (
    <span className="sl-alert__state" data-resolved={alert.resolvedAt !== null || undefined}>
      {alert.resolvedAt !== null ? (
        <>
          Resolved{' '}
          <time dateTime={alert.resolvedAt} title={fullDate(alert.resolvedAt)}>
            {timeAgo(alert.resolvedAt)}
          </time>
        </>
      ) : (
        'Ongoing'
      )}
    </span>
  );
}

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
  const focused = useSectionRoute().rest[0] ?? null;
  const load = useCallback(
    (signal: AbortSignal) =>
      focused !== null
        ? api.alert.list.query({ id: focused, status: 'all', limit: 1 }, { signal })
        : api.alert.list.query({ status, limit: 100 }, { signal }),
    [status, focused],
  );
  const alerts = usePolledQuery<Alerts>(`alert.list:${focused ?? status}`, load, fallbackPollMs(), 'alerts');
  useEffect(() => {
    if (focused !== null) document.getElementById(`alert-${focused}`)?.scrollIntoView({ block: 'nearest' });
  }, [focused, alerts.status]);
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
        {focused !== null ? (
          <button type="button" className="sl-button sl-button--quiet" onClick={() => navigate('alerts')}>
            Show all alerts
          </button>
        ) : (
          <label className="sl-field sl-field--inline">
            <span className="sl-field__label">Show</span>
            <select
              className="sl-input"
              value={status}
              onChange={(e) => setStatus(isStatus(e.target.value) ? e.target.value : 'open')}
            >
              {Object.entries(STATUS_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        )}
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
        <StatusPane
          tone="empty"
          title={focused !== null ? 'No such alert' : status === 'open' ? 'No open alerts' : 'No alerts'}
        >
          Stalls, anomalies and security signals appear here as they happen.
        </StatusPane>
      )}
      {rows !== null && rows.length > 0 && (
        <ul className="sl-alerts" aria-label="Alerts">
          {rows.map((alert) => (
            <li
              key={alert.id}
              id={`alert-${alert.id}`}
              className="sl-alert"
              data-severity={alert.severity}
              data-resolved={alert.resolvedAt !== null || undefined}
              aria-current={alert.id === focused ? 'true' : undefined}
            >
              <div className="sl-alert__head">
                <span className="sl-alert__severity">{alert.severity}</span>
                <span className="sl-alert__kind">{alert.kind}</span>
                <AlertState alert={alert} />
                <time dateTime={alert.createdAt} title={fullDate(alert.createdAt)}>
                  {timeAgo(alert.createdAt)}
                </time>
              </div>
              <p className="sl-alert__message">{alert.message}</p>
              {alert.runId !== null && (
                <a href={sectionHref('runs', alert.runId, ...(alert.nodeId ? ['steps', alert.nodeId] : []))}>
                  {alert.nodeId ? `Open the run at step ${alert.nodeId}` : 'Open the run'}
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
