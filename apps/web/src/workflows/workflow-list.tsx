import type { WorkflowSummary } from '../api/client';
import { fullDate, shortHash, timeAgo } from '../format';
import { workflowHref } from '../use-hash-route';

/** The published version of a workflow, or that it has none yet. */
export function VersionBadge({ version }: { version: WorkflowSummary['latestVersion'] }) {
  if (version === null) return <span className="sl-version sl-version--draft">Not published</span>;
  return (
    <span className="sl-version" title={`Published version ${version.version}, hash ${version.hash}`}>
      <span className="sl-version__number">v{version.version}</span>
      <code className="sl-version__hash">{shortHash(version.hash)}</code>
    </span>
  );
}

export function WorkflowList({
  workflows,
  selectedId,
}: {
  workflows: WorkflowSummary[];
  selectedId: string | null;
}) {
  return (
    <ul className="sl-wf-list">
      {workflows.map((workflow) => (
        <li key={workflow.id}>
          <a
            className="sl-wf-item"
            href={workflowHref(workflow.id)}
            aria-current={workflow.id === selectedId ? 'page' : undefined}
          >
            <span className="sl-wf-item__name">{workflow.name}</span>
            <span className="sl-wf-item__meta">
              <span className="sl-wf-item__team">{workflow.ownerTeam}</span>
              <VersionBadge version={workflow.latestVersion} />
            </span>
            <time
              className="sl-wf-item__time"
              dateTime={workflow.updatedAt}
              title={fullDate(workflow.updatedAt)}
            >
              Updated {timeAgo(workflow.updatedAt)}
            </time>
          </a>
        </li>
      ))}
    </ul>
  );
}
