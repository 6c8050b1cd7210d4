// Credentials for providers and HTTP nodes: owners create, rotate and delete them; a value goes in
// once and is never shown again (the API never returns it). Editors and auditors see the list.
import { useCallback, useState } from 'react';
import { api, describeError } from '../api/client';
import { confirmedAction } from './confirmed-action';
import type { RouterOutputs } from '../api/contract';
import { useQuery } from '../api/use-query';
import type { Me } from '../auth/use-session';
import { fullDate, timeAgo } from '../format';
import { RetryButton, StatusPane } from '../ui/status';

type Credentials = RouterOutputs['credential']['list'];
type Workflows = RouterOutputs['workflow']['list'];

function CreateCredential({ workflows, onDone }: { workflows: Workflows; onDone: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [value, setValue] = useState('');
  const [bound, setBound] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <form
      className="sl-stack-form"
      aria-label="Add a credential"
      autoComplete="off"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        setSaved(null);
        api.credential.create
          .mutate({
            name,
            description,
            value,
            bindings: bound.map((workflowId) => ({ workflowId, nodeIds: [] })),
          })
          .then(
            (created) => {
              // The value leaves the page's memory as soon as it is saved.
              setValue('');
              setName('');
              setDescription('');
              setBound([]);
              setSaved(created.name);
              onDone();
            },
            (err: unknown) => setError(describeError(err)),
          );
      }}
    >
      <label className="sl-field">
        <span className="sl-field__label">Credential name</span>
        <input className="sl-input" required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="sl-field">
        <span className="sl-field__label">Description</span>
        <input
          className="sl-input"
          value={description}
          maxLength={500}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <label className="sl-field">
        <span className="sl-field__label">Secret value</span>
        <input
          className="sl-input"
          type="password"
          required
          autoComplete="new-password"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      </label>
      {workflows.length > 0 && (
        <fieldset className="sl-fieldset">
          <legend className="sl-field__label">Workflows that may use it</legend>
          {workflows.map((w) => (
            <label key={w.id} className="sl-check">
              <input
                type="checkbox"
                checked={bound.includes(w.id)}
                onChange={(e) =>
                  setBound((list) => (e.target.checked ? [...list, w.id] : list.filter((id) => id !== w.id)))
                }
              />
              {w.name}
            </label>
          ))}
        </fieldset>
      )}
      <button type="submit" className="sl-button sl-button--primary">
        Save credential
      </button>
      {error !== null && (
        <p className="sl-form-error" role="alert">
          {error}
        </p>
      )}
      {saved !== null && (
        <p className="sl-muted" role="status">
          Saved “{saved}”. Its value is encrypted and will not be shown again.
        </p>
      )}
    </form>
  );
}

function Rotate({ id, name, onDone }: { id: string; name: string; onDone: (error: string | null) => void }) {
  const [value, setValue] = useState('');
  return (
    <form
      className="sl-inline-form"
      aria-label={`Rotate ${name}`}
      autoComplete="off"
      onSubmit={(e) => {
        e.preventDefault();
        api.credential.rotate.mutate({ id, value }).then(
          () => {
            setValue('');
            onDone(null);
          },
          (err: unknown) => onDone(describeError(err)),
        );
      }}
    >
      <label className="sl-field">
        <span className="sl-field__label">New value for {name}</span>
        <input
          className="sl-input"
          type="password"
          required
          autoComplete="new-password"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      </label>
      <button type="submit" className="sl-button">
        Rotate
      </button>
    </form>
  );
}

export function CredentialsSettings({ me }: { me: Me }) {
  const [attempt, setAttempt] = useState(0);
  const load = useCallback((signal: AbortSignal) => api.credential.list.query(undefined, { signal }), []);
  const credentials = useQuery<Credentials>(`credential.list:${attempt}`, load);
  const loadWorkflows = useCallback(
    (signal: AbortSignal) => api.workflow.list.query(undefined, { signal }),
    [],
  );
  const workflows = useQuery<Workflows>('workflow.list', loadWorkflows);
  const [error, setError] = useState<string | null>(null);
  const [rotating, setRotating] = useState<string | null>(null);
  const canManage = me.permissions.includes('credential:manage');
  if (!me.permissions.includes('credential:read'))
    return <StatusPane tone="empty" title="Credentials are not open to your role" />;
  const reload = () => setAttempt((n) => n + 1);
  const workflowName = (id: string) =>
    workflows.status === 'success' ? (workflows.data.find((w) => w.id === id)?.name ?? id) : id;
  return (
    <section aria-labelledby="credentials-heading" className="sl-settings__section">
      <h2 id="credentials-heading" className="sl-panel-title">
        Credentials
      </h2>
      {canManage && workflows.status === 'success' && (
        <CreateCredential workflows={workflows.data} onDone={reload} />
      )}
      {error !== null && (
        <p className="sl-form-error" role="alert">
          {error}
        </p>
      )}
      {credentials.status === 'loading' && <StatusPane tone="loading" title="Loading credentials…" />}
      {credentials.status === 'error' && (
        <StatusPane
          tone="error"
          title="Could not load credentials"
          action={<RetryButton onRetry={credentials.retry} />}
        >
          {credentials.message}
        </StatusPane>
      )}
      {credentials.status === 'success' && credentials.data.length === 0 && (
        <p className="sl-muted">No credentials yet.</p>
      )}
      {credentials.status === 'success' && credentials.data.length > 0 && (
        <table className="sl-table" aria-label="Credentials">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Used by</th>
              <th scope="col">Value</th>
              <th scope="col">Last rotated</th>
              <th scope="col">Last used</th>
              {canManage && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {credentials.data.map((credential) => (
              <tr key={credential.id}>
                <td>
                  {credential.name}
                  {credential.description && <div className="sl-muted">{credential.description}</div>}
                </td>
                <td>
                  {credential.bindings.length === 0
                    ? 'no workflow'
                    : credential.bindings.map((b) => workflowName(b.workflowId)).join(', ')}
                </td>
                <td>
                  <span className="sl-muted">hidden · version {credential.valueVersion}</span>
                </td>
                <td>{fullDate(credential.rotatedAt ?? credential.createdAt)}</td>
                <td>{credential.lastUsedAt ? timeAgo(credential.lastUsedAt) : 'never'}</td>
                {canManage && (
                  <td>
                    {rotating === credential.id ? (
                      <Rotate
                        id={credential.id}
                        name={credential.name}
                        onDone={(failure) => {
                          setError(failure);
                          if (failure === null) {
                            setRotating(null);
                            reload();
                          }
                        }}
                      />
                    ) : (
                      <button
                        type="button"
                        className="sl-button sl-button--quiet"
                        aria-label={`Rotate ${credential.name}`}
                        onClick={() => setRotating(credential.id)}
                      >
                        Rotate
                      </button>
                    )}
                    <button
                      type="button"
                      className="sl-button sl-button--quiet"
                      aria-label={`Delete ${credential.name}`}
                      onClick={() => {
                        confirmedAction(
                          `Delete “${credential.name}”? Steps that use it will fail.`,
                          () => api.credential.delete.mutate({ id: credential.id }),
                          { reload, setError },
                        );
                      }}
                    >
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
