// The runs of the workspace, newest first, filtered by workflow, status, initiator and time, and
// refreshed when workspace news says runs changed, so statuses change in place.
import { useCallback, useState } from 'react';
import { api } from '../api/client';
import type { RouterOutputs } from '../api/contract';
import { useQuery } from '../api/use-query';
import type { Me } from '../auth/use-session';
import { fullDate, timeAgo } from '../format';
import { fallbackPollMs } from '../live/fallback-poll';
import { usePolledQuery } from '../live/use-polled-query';
import { sectionHref } from '../routes';
import { RetryButton, StatusPane } from '../ui/status';
import { between } from './duration';
import { StatusBadge } from './run-status';
import { StartRunPanel } from './start-run';

type Runs = RouterOutputs['run']['list'];
type Workflows = RouterOutputs['workflow']['list'];
type Members = RouterOutputs['member']['list'];
type ListInput = Parameters<typeof api.run.list.query>[0];
type RunStatusName = NonNullable<ListInput['status']>[number];

const STATUSES: RunStatusName[] = ['pending', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];
const PERIODS = [
  { value: '', label: 'Any time' },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
] as const;

interface Filters {
  workflowId: string;
  status: string;
  initiatedById: string;
  period: string;
}

function isStatus(value: string): value is RunStatusName {
  return STATUSES.some((s) => s === value);
}

function query(filters: Filters, now: number): ListInput {
  const period = PERIODS.find((p) => p.value === filters.period);
  return {
    limit: 100,
    ...(filters.workflowId ? { workflowId: filters.workflowId } : {}),
    ...(isStatus(filters.status) ? { status: [filters.status] } : {}),
    ...(filters.initiatedById ? { initiatedById: filters.initiatedById } : {}),
    ...(period && 'ms' in period ? { createdAfter: new Date(now - period.ms).toISOString() } : {}),
  };
}

/** The runs list with its filters and, for those who may, the start-a-run panel. */
export function RunsList({ me }: { me: Me }) {
  const [filters, setFilters] = useState<Filters>({
    workflowId: '',
    status: '',
    initiatedById: '',
    period: '',
  });
  const [starting, setStarting] = useState(false);
  const loadWorkflows = useCallback(
    (signal: AbortSignal) => api.workflow.list.query(undefined, { signal }),
    [],
  );
  const workflows = useQuery<Workflows>('workflow.list', loadWorkflows);
  const loadMembers = useCallback((signal: AbortSignal) => api.member.list.query(undefined, { signal }), []);
  const members = useQuery<Members>('member.list', loadMembers);
  const key = JSON.stringify(filters);
  const loadRuns = useCallback(
    (signal: AbortSignal) => api.run.list.query(query(filters, Date.now()), { signal }),
    [filters],
  );
  const runs = usePolledQuery<Runs>(`run.list:${key}`, loadRuns, fallbackPollMs(), 'runs');
  const canStart = me.permissions.includes('run:start');
  const set = (change: Partial<Filters>) => setFilters((f) => ({ ...f, ...change }));
  const rows = runs.status === 'success' ? runs.data : runs.status === 'error' ? runs.data : null;

  return (
    <div className="sl-page">
      <header className="sl-page__head">
        <h1 className="sl-page__title">Runs</h1>
        {canStart && (
          <button
            type="button"
            className="sl-button sl-button--primary"
            onClick={() => setStarting((s) => !s)}
            aria-expanded={starting}
          >
            Start a run
          </button>
        )}
      </header>
      {starting && workflows.status === 'success' && (
        <StartRunPanel workflows={workflows.data} onClose={() => setStarting(false)} />
      )}
      <form className="sl-filters" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        <label className="sl-field">
          <span className="sl-field__label">Workflow</span>
          <select
            className="sl-input"
            value={filters.workflowId}
            onChange={(e) => set({ workflowId: e.target.value })}
          >
            <option value="">All workflows</option>
            {workflows.status === 'success' &&
              workflows.data.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
          </select>
        </label>
        <label className="sl-field">
          <span className="sl-field__label">Status</span>
          <select
            className="sl-input"
            value={filters.status}
            onChange={(e) => set({ status: e.target.value })}
          >
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="sl-field">
          <span className="sl-field__label">Started by</span>
          <select
            className="sl-input"
            value={filters.initiatedById}
            onChange={(e) => set({ initiatedById: e.target.value })}
          >
            <option value="">Anyone</option>
            {members.status === 'success' &&
              members.data.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.name}
                </option>
              ))}
          </select>
        </label>
        <label className="sl-field">
          <span className="sl-field__label">Created</span>
          <select
            className="sl-input"
            value={filters.period}
            onChange={(e) => set({ period: e.target.value })}
          >
            {PERIODS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      {runs.status === 'loading' && <StatusPane tone="loading" title="Loading runs…" />}
      {runs.status === 'error' && rows === null && (
        <StatusPane tone="error" title="Could not load runs" action={<RetryButton onRetry={runs.refresh} />}>
          {runs.message}
        </StatusPane>
      )}
      {runs.status === 'error' && rows !== null && (
        <p className="sl-form-error" role="alert">
          Live refresh failed: {runs.message}
        </p>
      )}
      {rows !== null && rows.length === 0 && (
        <StatusPane tone="empty" title="No runs match">
          {canStart
            ? 'Start a run, or change the filters.'
            : 'Runs started by operators will be listed here.'}
        </StatusPane>
      )}
      {rows !== null && rows.length > 0 && (
        <table className="sl-table" aria-label="Runs">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Workflow</th>
              <th scope="col">Status</th>
              <th scope="col">Started by</th>
              <th scope="col">Created</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((run) => (
              <tr key={run.id} data-testid={`run-row-${run.id}`}>
                <td>
                  <a
                    href={sectionHref('runs', run.id)}
                    aria-label={`Run ${run.id.slice(-8)} of ${run.workflowName}`}
                  >
                    <code>{run.id.slice(-8)}</code>
                  </a>
                </td>
                <td>
                  {run.workflowName} <span className="sl-muted">v{run.version}</span>
                </td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td>
                  {members.status === 'success'
                    ? (members.data.find((m) => m.userId === run.initiatedById)?.name ??
                      (run.initiatedById ? 'a former member' : 'a trigger'))
                    : '…'}
                </td>
                <td>
                  <time dateTime={run.createdAt} title={fullDate(run.createdAt)}>
                    {timeAgo(run.createdAt)}
                  </time>
                </td>
                <td>{between(run.startedAt ?? run.createdAt, run.finishedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
