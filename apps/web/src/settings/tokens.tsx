// Agent tokens: owners create them with scopes and an expiry (the secret is shown once) and revoke
// them; auditors see the list.
import { useCallback, useState } from 'react';
import { api, describeError } from '../api/client';
import { confirmedAction } from './confirmed-action';
import type { RouterOutputs } from '../api/contract';
import { useQuery } from '../api/use-query';
import type { Me } from '../auth/use-session';
import { fullDate, timeAgo } from '../format';
import { RetryButton, StatusPane } from '../ui/status';

type Tokens = RouterOutputs['token']['list'];
type Action = Parameters<typeof api.token.create.mutate>[0]['actions'][number];

/** What agents may be granted (the server's `tokenActions`), with what each allows. */
const ACTIONS: ReadonlyArray<{ action: Action; label: string }> = [
  { action: 'workspace:read', label: 'Read the workspace' },
  { action: 'workflow:read', label: 'Read workflows' },
  { action: 'run:start', label: 'Start runs' },
  { action: 'run:read', label: 'Read runs' },
  { action: 'run:operate', label: 'Cancel and operate runs' },
  { action: 'approval:read', label: 'Read approvals' },
  { action: 'audit:read', label: 'Read the audit trail' },
  { action: 'alert:read', label: 'Read alerts' },
];

function CreateToken({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [actions, setActions] = useState<Action[]>(['run:read']);
  const [days, setDays] = useState('30');
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string; expiresAt: string } | null>(null);
  return (
    <form
      className="sl-stack-form"
      aria-label="Create an agent token"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        const expiresInDays = Number(days);
        if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 366) {
          setError('Expiry must be a whole number of days, from 1 to 366');
          return;
        }
        if (actions.length === 0) {
          setError('Choose at least one scope');
          return;
        }
        api.token.create.mutate({ name, actions, expiresInDays }).then(
          (token) => {
            setCreated({ name: token.name, token: token.token, expiresAt: token.expiresAt });
            setName('');
            onCreated();
          },
          (err: unknown) => setError(describeError(err)),
        );
      }}
    >
      <label className="sl-field">
        <span className="sl-field__label">Token name</span>
        <input
          className="sl-input"
          required
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <fieldset className="sl-fieldset">
        <legend className="sl-field__label">Scopes</legend>
        {ACTIONS.map(({ action, label }) => (
          <label key={action} className="sl-check">
            <input
              type="checkbox"
              checked={actions.includes(action)}
              onChange={(e) =>
                setActions((list) =>
                  e.target.checked ? [...list, action] : list.filter((a) => a !== action),
                )
              }
            />
            {label} <code>{action}</code>
          </label>
        ))}
      </fieldset>
      <label className="sl-field">
        <span className="sl-field__label">Expires in (days)</span>
        <input
          className="sl-input"
          inputMode="numeric"
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />
      </label>
      <button type="submit" className="sl-button sl-button--primary">
        Create token
      </button>
      {error !== null && (
        <p className="sl-form-error" role="alert">
          {error}
        </p>
      )}
      {created !== null && (
        <div className="sl-secret" role="status" aria-label="New token">
          <p>
            The token “{created.name}”, valid until {fullDate(created.expiresAt)}. Copy it now: it is shown
            only once and cannot be read again.
          </p>
          <code className="sl-secret__value" data-testid="new-token">
            {created.token}
          </code>
          <button type="button" className="sl-button sl-button--quiet" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      )}
    </form>
  );
}

export function TokensSettings({ me }: { me: Me }) {
  const [attempt, setAttempt] = useState(0);
  const load = useCallback((signal: AbortSignal) => api.token.list.query(undefined, { signal }), []);
  const tokens = useQuery<Tokens>(`token.list:${attempt}`, load);
  const [error, setError] = useState<string | null>(null);
  const canManage = me.permissions.includes('token:manage');
  if (!me.permissions.includes('token:read'))
    return <StatusPane tone="empty" title="Agent tokens are not open to your role" />;
  const reload = () => setAttempt((n) => n + 1);
  return (
    <section aria-labelledby="tokens-heading" className="sl-settings__section">
      <h2 id="tokens-heading" className="sl-panel-title">
        Agent tokens
      </h2>
      {canManage && <CreateToken onCreated={reload} />}
      {error !== null && (
        <p className="sl-form-error" role="alert">
          {error}
        </p>
      )}
      {tokens.status === 'loading' && <StatusPane tone="loading" title="Loading tokens…" />}
      {tokens.status === 'error' && (
        <StatusPane
          tone="error"
          title="Could not load tokens"
          action={<RetryButton onRetry={tokens.retry} />}
        >
          {tokens.message}
        </StatusPane>
      )}
      {tokens.status === 'success' && tokens.data.length === 0 && (
        <p className="sl-muted">No agent tokens yet.</p>
      )}
      {tokens.status === 'success' && tokens.data.length > 0 && (
        <table className="sl-table" aria-label="Agent tokens">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Scopes</th>
              <th scope="col">Status</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              {canManage && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td>
                  <code>{token.prefix}…</code>
                </td>
                <td>{token.actions.join(', ')}</td>
                <td>{token.status}</td>
                <td>{fullDate(token.expiresAt)}</td>
                <td>{token.lastUsedAt ? timeAgo(token.lastUsedAt) : 'never'}</td>
                {canManage && (
                  <td>
                    {token.status === 'active' && (
                      <button
                        type="button"
                        className="sl-button sl-button--quiet"
                        aria-label={`Revoke ${token.name}`}
                        onClick={() => {
                          confirmedAction(
                            `Revoke “${token.name}”? Agents using it are refused at once.`,
                            () => api.token.revoke.mutate({ id: token.id }),
                            { reload, setError },
                          );
                        }}
                      >
                        Revoke
                      </button>
                    )}
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
