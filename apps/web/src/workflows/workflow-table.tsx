// The workflow list: search, owner, last edited, published version, status of the last run; create,
// duplicate, delete (confirmed), import and export of JSON documents.
import { type FormEvent, useId, useState } from 'react';
import { api, describeError } from '../api/client';
import type { WorkflowSummary } from '../api/client';
import { downloadJson } from '../editor/editor-page';
import { fullDate, timeAgo } from '../format';
import { workflowHref } from '../use-hash-route';
import { VersionBadge } from './workflow-list';

function CreateForm({ onDone }: { onDone: (id: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    try {
      const created = await api.workflow.create.mutate({
        name: String(data.get('name') ?? ''),
        ownerTeam: String(data.get('ownerTeam') ?? ''),
      });
      onDone(created.id);
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <form className="sl-wf-create" aria-label="New workflow" onSubmit={(e) => void submit(e)}>
      <label className="sl-field">
        <span className="sl-field__label">Name</span>
        <input className="sl-field__input" name="name" required maxLength={120} />
      </label>
      <label className="sl-field">
        <span className="sl-field__label">Owner team</span>
        <input className="sl-field__input" name="ownerTeam" required maxLength={80} />
      </label>
      <button type="submit" className="sl-button sl-button--primary">
        Create workflow
      </button>
      {error && (
        <p className="sl-field__problems" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

async function importFile(file: File): Promise<string> {
  const text = await file.text();
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new Error(`${file.name} is not a JSON file`);
  }
  // The server validates the document (zod) and recompiles it; its message says what is wrong.
  const created = await api.workflow.import.mutate({ document: document as never });
  return created.id;
}

/** The table of workflows with its actions; `onChanged` reloads the list. */
export function WorkflowTable({
  workflows,
  onChanged,
}: {
  workflows: WorkflowSummary[];
  onChanged: () => void;
}) {
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const [confirming, setConfirming] = useState<WorkflowSummary | null>(null);
  const [message, setMessage] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const searchId = useId();
  const q = query.trim().toLowerCase();
  const shown = workflows.filter(
    (w) =>
      q === '' ||
      w.name.toLowerCase().includes(q) ||
      w.ownerTeam.toLowerCase().includes(q) ||
      w.description.toLowerCase().includes(q),
  );
  const fail = (e: unknown) => setMessage({ tone: 'error', text: describeError(e) });

  return (
    <section className="sl-wf-table" aria-labelledby="workflows-heading">
      <header className="sl-wf-table__head">
        <h1 id="workflows-heading" className="sl-wf-table__title">
          Workflows
        </h1>
        <label className="sl-visually-hidden" htmlFor={searchId}>
          Search workflows
        </label>
        <input
          id={searchId}
          type="search"
          className="sl-field__input sl-wf-table__search"
          placeholder="Search by name or team"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <label className="sl-button">
          Import JSON
          <input
            type="file"
            accept="application/json,.json"
            className="sl-visually-hidden"
            aria-label="Import a workflow from a JSON file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file)
                void importFile(file).then((id) => {
                  window.location.hash = workflowHref(id);
                }, fail);
            }}
          />
        </label>
        <button
          type="button"
          className="sl-button sl-button--primary"
          onClick={() => setCreating((c) => !c)}
          aria-expanded={creating}
        >
          New workflow
        </button>
      </header>
      {creating && <CreateForm onDone={(id) => (window.location.hash = workflowHref(id))} />}
      {message && (
        <p
          className="sl-wf-table__message"
          role={message.tone === 'error' ? 'alert' : 'status'}
          data-tone={message.tone}
        >
          {message.text}
        </p>
      )}
      {confirming && (
        <div
          className="sl-confirm"
          role="alertdialog"
          aria-labelledby="confirm-heading"
          aria-describedby="confirm-text"
        >
          <h2 id="confirm-heading">Delete “{confirming.name}”?</h2>
          <p id="confirm-text">
            Its draft and published versions are deleted. Workflows that have runs cannot be deleted.
          </p>
          <button
            type="button"
            className="sl-button sl-button--danger"
            onClick={() => {
              const target = confirming;
              setConfirming(null);
              api.workflow.delete.mutate({ id: target.id }).then(() => {
                setMessage({ tone: 'info', text: `Deleted “${target.name}”.` });
                onChanged();
              }, fail);
            }}
          >
            Delete
          </button>
          <button type="button" className="sl-button" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      )}
      <table className="sl-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Owner</th>
            <th scope="col">Last edited</th>
            <th scope="col">Published</th>
            <th scope="col">Last run</th>
            <th scope="col">
              <span className="sl-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((w) => (
            <tr key={w.id}>
              <th scope="row">
                <a className="sl-link" href={workflowHref(w.id)}>
                  {w.name}
                </a>
              </th>
              <td>{w.ownerTeam}</td>
              <td>
                <time dateTime={w.updatedAt} title={fullDate(w.updatedAt)}>
                  {timeAgo(w.updatedAt)}
                </time>
              </td>
              <td>
                <VersionBadge version={w.latestVersion} />
              </td>
              <td>
                {w.lastRun ? (
                  <span className="sl-run-status" data-status={w.lastRun.status}>
                    {w.lastRun.status}
                  </span>
                ) : (
                  '—'
                )}
              </td>
              <td className="sl-table__actions">
                <button
                  type="button"
                  className="sl-button sl-button--small"
                  aria-label={`Duplicate ${w.name}`}
                  onClick={() =>
                    api.workflow.duplicate
                      .mutate({ id: w.id, name: copyName(w.name, workflows) })
                      .then(onChanged, fail)
                  }
                >
                  Duplicate
                </button>
                <button
                  type="button"
                  className="sl-button sl-button--small"
                  aria-label={`Export ${w.name}`}
                  onClick={() =>
                    api.workflow.export
                      .query({ id: w.id })
                      .then((doc) => downloadJson(`${w.name}.sluice.json`, doc), fail)
                  }
                >
                  Export
                </button>
                <button
                  type="button"
                  className="sl-button sl-button--small sl-button--danger"
                  aria-label={`Delete ${w.name}`}
                  onClick={() => setConfirming(w)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown.length === 0 && (
        <p className="sl-wf-table__empty" role="status">
          {workflows.length === 0
            ? 'No workflows yet: create one or import a JSON file.'
            : 'No workflow matches this search.'}
        </p>
      )}
    </section>
  );
}

function copyName(name: string, all: WorkflowSummary[]): string {
  const names = new Set(all.map((w) => w.name));
  for (let n = 1; ; n += 1) {
    const candidate = `${name} (copy${n === 1 ? '' : ` ${n}`})`.slice(0, 120);
    if (!names.has(candidate)) return candidate;
  }
}
