import { useCallback } from 'react';
import { api } from '../api/client';
import type { WorkflowDetail as Workflow, WorkflowSummary } from '../api/client';
import { useQuery } from '../api/use-query';
import { fullDate, timeAgo } from '../format';
import { RetryButton, StatusPane } from '../ui/status';
import { WorkflowCanvas } from './canvas/workflow-canvas';
import { VersionBadge } from './workflow-list';

type Header = Pick<WorkflowSummary, 'name' | 'description' | 'ownerTeam' | 'updatedAt' | 'latestVersion'>;

function WorkflowHeader({ workflow, publishedAt }: { workflow: Header; publishedAt?: string }) {
  return (
    <header className="sl-detail__header">
      <div className="sl-detail__title-row">
        <h1 className="sl-detail__title">{workflow.name}</h1>
        <VersionBadge version={workflow.latestVersion} />
        <span className="sl-tag">Read-only</span>
      </div>
      {workflow.description !== '' && <p className="sl-detail__description">{workflow.description}</p>}
      <dl className="sl-detail__facts">
        <div>
          <dt>Owner team</dt>
          <dd>{workflow.ownerTeam}</dd>
        </div>
        {publishedAt !== undefined && (
          <div>
            <dt>Published</dt>
            <dd>
              <time dateTime={publishedAt}>{fullDate(publishedAt)}</time>
            </dd>
          </div>
        )}
        <div>
          <dt>Last edited</dt>
          <dd>
            <time dateTime={workflow.updatedAt} title={fullDate(workflow.updatedAt)}>
              {timeAgo(workflow.updatedAt)}
            </time>
          </dd>
        </div>
      </dl>
    </header>
  );
}

/**
 * One workflow: its header straight away from the list row, then its graph once
 * `workflow.get` answers.
 */
export function WorkflowDetail({ id, summary }: { id: string; summary: WorkflowSummary | undefined }) {
  const load = useCallback((signal: AbortSignal) => api.workflow.get.query({ id }, { signal }), [id]);
  const detail = useQuery<Workflow>(`workflow.get:${id}`, load);
  const header = detail.status === 'success' ? detail.data : summary;
  const title = header?.name ?? 'Workflow';

  return (
    <section className="sl-detail" aria-label={title}>
      <title>{`${title} · Sluice`}</title>
      {header !== undefined && (
        <WorkflowHeader
          workflow={header}
          publishedAt={detail.status === 'success' ? detail.data.latestVersion?.publishedAt : undefined}
        />
      )}
      {detail.status === 'loading' && <StatusPane tone="loading" title="Loading graph…" />}
      {detail.status === 'error' && (
        <StatusPane
          tone="error"
          title="Could not load this workflow"
          action={<RetryButton onRetry={detail.retry} />}
        >
          {detail.message}
        </StatusPane>
      )}
      {detail.status === 'success' && <WorkflowCanvas graph={detail.data.graph} title={title} />}
    </section>
  );
}
