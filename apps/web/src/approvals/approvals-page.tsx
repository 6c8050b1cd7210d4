// The approvals inbox: what waits for people, newest first, with whether I may decide; choosing one
// opens its decision panel beside the list (`#/approvals/<runId>/<nodeId>`).
import { useCallback, useState } from 'react';
import { api } from '../api/client';
import type { RouterOutputs } from '../api/contract';
import type { Me } from '../auth/use-session';
import { timeAgo } from '../format';
import { fallbackPollMs } from '../live/fallback-poll';
import { usePolledQuery } from '../live/use-polled-query';
import { navigate, sectionHref } from '../routes';
import { RetryButton, StatusPane } from '../ui/status';
import { DecisionPanel } from './decision-panel';

type Inbox = RouterOutputs['approval']['list'];
type Status = 'open' | 'resolved' | 'all';

export function ApprovalsPage({ rest, me }: { rest: readonly string[]; me: Me }) {
  const [status, setStatus] = useState<Status>('open');
  const [mine, setMine] = useState(false);
  const load = useCallback(
    (signal: AbortSignal) => api.approval.list.query({ status, mine, limit: 100 }, { signal }),
    [status, mine],
  );
  const inbox = usePolledQuery<Inbox>(`approval.list:${status}:${mine}`, load, fallbackPollMs(), 'approvals');
  const [runId, nodeId] = rest;
  if (!me.permissions.includes('approval:read'))
    return <StatusPane tone="empty" title="Approvals are not open to your role" />;
  const rows = inbox.status === 'loading' ? null : inbox.data;
  return (
    <div className={`sl-approvals${runId && nodeId ? ' sl-approvals--open' : ''}`}>
      <div className="sl-page">
        <header className="sl-page__head">
          <h1 className="sl-page__title">Approvals</h1>
        </header>
        <form className="sl-filters" aria-label="Filter approvals" onSubmit={(e) => e.preventDefault()}>
          <label className="sl-field">
            <span className="sl-field__label">Show</span>
            <select
              className="sl-input"
              value={status}
              onChange={(e) =>
                setStatus(
                  e.target.value === 'resolved' ? 'resolved' : e.target.value === 'all' ? 'all' : 'open',
                )
              }
            >
              <option value="open">Waiting</option>
              <option value="resolved">Decided</option>
              <option value="all">All</option>
            </select>
          </label>
          <label className="sl-check">
            <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} />
            Only what I may decide
          </label>
        </form>
        {inbox.status === 'loading' && <StatusPane tone="loading" title="Loading approvals…" />}
        {inbox.status === 'error' && rows === null && (
          <StatusPane
            tone="error"
            title="Could not load approvals"
            action={<RetryButton onRetry={inbox.refresh} />}
          >
            {inbox.message}
          </StatusPane>
        )}
        {rows !== null && rows.length === 0 && (
          <StatusPane tone="empty" title={status === 'open' ? 'Nothing is waiting' : 'No approvals'}>
            Gates that need a person and human tasks appear here.
          </StatusPane>
        )}
        {rows !== null && rows.length > 0 && (
          <ul className="sl-alerts" aria-label="Approval requests">
            {rows.map((item) => (
              <li
                key={`${item.runId}/${item.nodeId}`}
                className="sl-alert"
                data-severity={item.mayDecide ? 'info' : 'warning'}
              >
                <div className="sl-alert__head">
                  <span className="sl-alert__kind">{item.kind === 'gate' ? 'Approval' : 'Task'}</span>
                  <span>
                    {item.workflow.name} v{item.workflow.version}
                  </span>
                  <span>{timeAgo(item.createdAt)}</span>
                </div>
                <p className="sl-alert__message">
                  <a
                    href={sectionHref('approvals', item.runId, item.nodeId)}
                    aria-current={item.runId === runId && item.nodeId === nodeId ? 'true' : undefined}
                  >
                    {item.title}
                  </a>
                </p>
                <p className="sl-muted">
                  {item.kind === 'gate' &&
                  typeof item.approvals === 'number' &&
                  typeof item.quorum === 'number'
                    ? `${item.approvals} of ${item.quorum} approvals · `
                    : ''}
                  {item.status === 'open'
                    ? item.mayDecide
                      ? 'You may decide'
                      : `You may not decide: ${item.why}`
                    : item.status}
                  {' · '}
                  <a href={sectionHref('runs', item.runId, 'steps', item.nodeId)}>open the run</a>
                </p>
              </li>
            ))}
          </ul>
        )}
      </div>
      {runId && nodeId && (
        <DecisionPanel
          key={`${runId}/${nodeId}`}
          runId={runId}
          nodeId={nodeId}
          onClose={() => navigate('approvals')}
        />
      )}
    </div>
  );
}

/** The count in the navigation: open requests I may decide, refreshed when approvals change. */
export function useApprovalCount(enabled: boolean): number | null {
  const load = useCallback(
    (signal: AbortSignal) =>
      enabled
        ? api.approval.list.query({ status: 'open', mine: true, limit: 200 }, { signal })
        : Promise.resolve([]),
    [enabled],
  );
  const inbox = usePolledQuery<Inbox>(
    `approval.count:${enabled}`,
    load,
    fallbackPollMs(),
    enabled ? 'approvals' : undefined,
  );
  return enabled && inbox.status === 'success' ? inbox.data.length : null;
}
