// The workspace's notification webhook (Slack-compatible): where approval news is posted. Owners set
// or remove it; the address is shown masked, since its path may hold a secret.
import { useCallback, useState } from 'react';
import { api, describeError } from '../api/client';
import type { RouterOutputs } from '../api/contract';
import { useQuery } from '../api/use-query';
import type { Me } from '../auth/use-session';
import { RetryButton, StatusPane } from '../ui/status';

type Webhook = RouterOutputs['approval']['webhook'];

export function WebhookSettings({ me }: { me: Me }) {
  const [attempt, setAttempt] = useState(0);
  const load = useCallback((signal: AbortSignal) => api.approval.webhook.query(undefined, { signal }), []);
  const current = useQuery<Webhook>(`approval.webhook:${attempt}`, load);
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!me.permissions.includes('member:manage'))
    return <StatusPane tone="empty" title="Only owners manage the notification webhook" />;
  const save = (next: string | null) => {
    setError(null);
    api.approval.setWebhook.mutate({ url: next }).then(
      () => {
        setUrl('');
        setAttempt((n) => n + 1);
      },
      (e: unknown) => setError(describeError(e)),
    );
  };
  return (
    <section aria-labelledby="webhook-heading" className="sl-settings__section">
      <h2 id="webhook-heading" className="sl-panel-title">
        Notification webhook
      </h2>
      <p className="sl-muted">Approval requests and decisions are posted here as they happen.</p>
      {current.status === 'loading' && <StatusPane tone="loading" title="Loading…" />}
      {current.status === 'error' && (
        <StatusPane
          tone="error"
          title="Could not load the webhook"
          action={<RetryButton onRetry={current.retry} />}
        >
          {current.message}
        </StatusPane>
      )}
      {current.status === 'success' && (
        <p>
          Current:{' '}
          {current.data.url === null ? (
            <span className="sl-muted">none</span>
          ) : (
            <code>{current.data.url}</code>
          )}
        </p>
      )}
      <form
        className="sl-inline-form"
        aria-label="Set the notification webhook"
        onSubmit={(e) => {
          e.preventDefault();
          save(url.trim());
        }}
      >
        <label className="sl-field">
          <span className="sl-field__label">Webhook URL (https)</span>
          <input
            className="sl-input"
            type="url"
            required
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <button type="submit" className="sl-button sl-button--primary">
          Save webhook
        </button>
        {current.status === 'success' && current.data.url !== null && (
          <button type="button" className="sl-button" onClick={() => save(null)}>
            Remove webhook
          </button>
        )}
      </form>
      {error !== null && (
        <p className="sl-form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
