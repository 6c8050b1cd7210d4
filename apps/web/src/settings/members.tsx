// Members and roles: everyone sees who is in the workspace; owners invite, change roles and remove.
import { useCallback, useState } from 'react';
import { api, describeError } from '../api/client';
import { confirmedAction } from './confirmed-action';
import type { RouterOutputs } from '../api/contract';
import { useQuery } from '../api/use-query';
import type { Me } from '../auth/use-session';
import { fullDate } from '../format';
import { RetryButton, StatusPane } from '../ui/status';

type Members = RouterOutputs['member']['list'];
const ROLES = ['owner', 'editor', 'operator', 'reviewer', 'auditor'] as const;
type Role = (typeof ROLES)[number];

function toRole(value: string): Role {
  return ROLES.find((r) => r === value) ?? 'operator';
}

function Invite({ onDone }: { onDone: () => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ email: string; password: string } | null>(null);
  return (
    <form
      className="sl-inline-form"
      aria-label="Invite a member"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        api.member.invite.mutate({ email, name, role }).then(
          (invited) => {
            setSecret(
              invited.temporaryPassword
                ? { email: invited.email, password: invited.temporaryPassword }
                : null,
            );
            setEmail('');
            setName('');
            onDone();
          },
          (err: unknown) => setError(describeError(err)),
        );
      }}
    >
      <label className="sl-field">
        <span className="sl-field__label">Email</span>
        <input
          className="sl-input"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label className="sl-field">
        <span className="sl-field__label">Name</span>
        <input className="sl-input" required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="sl-field">
        <span className="sl-field__label">Role</span>
        <select className="sl-input" value={role} onChange={(e) => setRole(toRole(e.target.value))}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="sl-button sl-button--primary">
        Invite
      </button>
      {error !== null && (
        <p className="sl-form-error" role="alert">
          {error}
        </p>
      )}
      {secret !== null && (
        <div className="sl-secret" role="status">
          <p>
            One-time password for {secret.email}, shown only now. Hand it over safely; they should change it
            after signing in.
          </p>
          <code className="sl-secret__value">{secret.password}</code>
        </div>
      )}
    </form>
  );
}

export function MembersSettings({ me }: { me: Me }) {
  const [attempt, setAttempt] = useState(0);
  const load = useCallback((signal: AbortSignal) => api.member.list.query(undefined, { signal }), []);
  const members = useQuery<Members>(`member.list:${attempt}`, load);
  const [error, setError] = useState<string | null>(null);
  const canManage = me.permissions.includes('member:manage');
  const reload = () => setAttempt((n) => n + 1);
  return (
    <section aria-labelledby="members-heading" className="sl-settings__section">
      <h2 id="members-heading" className="sl-panel-title">
        Members and roles
      </h2>
      {canManage && <Invite onDone={reload} />}
      {error !== null && (
        <p className="sl-form-error" role="alert">
          {error}
        </p>
      )}
      {members.status === 'loading' && <StatusPane tone="loading" title="Loading members…" />}
      {members.status === 'error' && (
        <StatusPane
          tone="error"
          title="Could not load members"
          action={<RetryButton onRetry={members.retry} />}
        >
          {members.message}
        </StatusPane>
      )}
      {members.status === 'success' && (
        <table className="sl-table" aria-label="Members">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Member since</th>
              {canManage && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {members.data.map((member) => (
              <tr key={member.userId}>
                <td>{member.name}</td>
                <td>{member.email}</td>
                <td>
                  {canManage ? (
                    <select
                      className="sl-input"
                      aria-label={`Role of ${member.name}`}
                      value={member.role}
                      onChange={(e) => {
                        setError(null);
                        api.member.changeRole
                          .mutate({ userId: member.userId, role: toRole(e.target.value) })
                          .then(reload, (err: unknown) => setError(describeError(err)));
                      }}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  ) : (
                    member.role
                  )}
                </td>
                <td>{fullDate(member.since)}</td>
                {canManage && (
                  <td>
                    {member.userId !== me.actor.id && (
                      <button
                        type="button"
                        className="sl-button sl-button--quiet"
                        aria-label={`Remove ${member.name}`}
                        onClick={() => {
                          confirmedAction(
                            `Remove ${member.name} from the workspace?`,
                            () => api.member.remove.mutate({ userId: member.userId }),
                            { reload, setError },
                          );
                        }}
                      >
                        Remove
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
