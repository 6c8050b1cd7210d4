import { useCallback } from 'react';
import type { ReactNode } from 'react';
import { api } from '../api/client';
import type { WorkflowSummary } from '../api/client';
import { useQuery } from '../api/use-query';
import { RetryButton, StatusPane } from '../ui/status';
import { WorkflowDetail } from './workflow-detail';
import { WorkflowList } from './workflow-list';

function Sidebar({ count, children }: { count?: number; children: ReactNode }) {
  return (
    <aside className="sl-sidebar" aria-labelledby="workflow-list-heading">
      <div className="sl-sidebar__head">
        <h2 id="workflow-list-heading" className="sl-sidebar__title">
          Workflows
        </h2>
        {count !== undefined && <span className="sl-count">{count}</span>}
      </div>
      {children}
    </aside>
  );
}

function ListSkeleton() {
  return (
    <ul className="sl-wf-list" aria-hidden="true">
      {[0, 1, 2, 3].map((row) => (
        <li key={row} className="sl-wf-item sl-wf-item--skeleton">
          <span className="sl-skeleton sl-skeleton--title" />
          <span className="sl-skeleton sl-skeleton--meta" />
        </li>
      ))}
    </ul>
  );
}

/**
 * The workflows section: the list on the left, the chosen workflow (from the URL, else the
 * first) on the right.
 */
export function WorkflowsPage({ selectedId }: { selectedId: string | null }) {
  const load = useCallback((signal: AbortSignal) => api.workflow.list.query(undefined, { signal }), []);
  const list = useQuery<WorkflowSummary[]>('workflow.list', load);

  if (list.status === 'loading') {
    return (
      <div className="sl-workspace">
        <Sidebar>
          <ListSkeleton />
        </Sidebar>
        <StatusPane tone="loading" title="Loading workflows…" />
      </div>
    );
  }
  if (list.status === 'error') {
    return (
      <div className="sl-workspace sl-workspace--single">
        <StatusPane
          tone="error"
          title="Could not load workflows"
          action={<RetryButton onRetry={list.retry} />}
        >
          {list.message}
        </StatusPane>
      </div>
    );
  }
  if (list.data.length === 0) {
    return (
      <div className="sl-workspace sl-workspace--single">
        <StatusPane tone="empty" title="No workflows yet">
          Workflows your team creates will be listed here, with their published versions.
        </StatusPane>
      </div>
    );
  }

  const activeId = selectedId ?? list.data[0]?.id ?? null;
  return (
    <div className="sl-workspace">
      <Sidebar count={list.data.length}>
        <WorkflowList workflows={list.data} selectedId={activeId} />
      </Sidebar>
      {activeId !== null && (
        <WorkflowDetail
          key={activeId}
          id={activeId}
          summary={list.data.find((workflow) => workflow.id === activeId)}
        />
      )}
    </div>
  );
}
