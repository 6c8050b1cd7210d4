import { useCallback } from 'react';
import { api } from '../api/client';
import type { WorkflowSummary } from '../api/client';
import { useQuery } from '../api/use-query';
import { EditorPage } from '../editor/editor-page';
import { RetryButton, StatusPane } from '../ui/status';
import { useHashRoute } from '../use-hash-route';
import { WorkflowTable } from './workflow-table';

function WorkflowIndex() {
  const load = useCallback((signal: AbortSignal) => api.workflow.list.query(undefined, { signal }), []);
  const list = useQuery<WorkflowSummary[]>('workflow.list', load);
  if (list.status === 'loading') return <StatusPane tone="loading" title="Loading workflows…" />;
  if (list.status === 'error')
    return (
      <StatusPane tone="error" title="Could not load workflows" action={<RetryButton onRetry={list.retry} />}>
        {list.message}
      </StatusPane>
    );
  return <WorkflowTable workflows={list.data} onChanged={list.retry} />;
}

/**
 * The workflows section, reading its own route: `#/workflows` is the list, `#/workflows/<id>` the
 * editor of one workflow (with `/ownership`, `/versions` and `/diff/<from>/<to>` views).
 */
export function WorkflowsPage(_props: { selectedId?: string | null } = {}) {
  const route = useHashRoute();
  if (route.section === 'workflows' && route.workflowId !== null)
    return <EditorPage key={route.workflowId} id={route.workflowId} route={route} />;
  return <WorkflowIndex />;
}
