// The audit trail: the workspace's chain or one run's, newest first, filterable by event type, with
// "Verify" (the chain's status and its first broken link) and a JSON Lines export.
import { useCallback, useEffect, useState } from 'react';
import { api, describeError } from '../api/client';
import type { RouterOutputs } from '../api/contract';
import type { Me } from '../auth/use-session';
import { fullDate } from '../format';
import { navigate, sectionHref } from '../routes';
import { JsonView } from '../runs/json-view';
import { RetryButton, StatusPane } from '../ui/status';
import { downloadText, exportChain } from './export';

type AuditEvent = RouterOutputs['audit']['list'][number];
type Verdict = RouterOutputs['audit']['verify'];

const PAGE = 100;

function VerifyResult({ verdict }: { verdict: Verdict }) {
  if (verdict.ok)
    return (
      <p className="sl-verdict" data-ok="true" role="status">
        Chain valid: {verdict.length} {verdict.length === 1 ? 'event' : 'events'}, every hash checks out.
      </p>
    );
  return (
    <p className="sl-verdict" data-ok="false" role="alert">
      Chain broken at event #{verdict.seq}: {verdict.reason}
    </p>
  );
}

function EventRow({ event }: { event: AuditEvent }) {
  const [open, setOpen] = useState(false);
  return (
    <li className="sl-audit__item" data-seq={event.seq}>
      <button
        type="button"
        className="sl-audit__row"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        aria-label={`Event ${event.seq}: ${event.type}`}
      >
        <span className="sl-timeline__seq">#{event.seq}</span>
        <span className="sl-audit__type">{event.type}</span>
        <time dateTime={event.createdAt}>{fullDate(event.createdAt)}</time>
        <code className="sl-audit__hash" title={event.hash}>
          {event.hash.slice(0, 10)}
        </code>
      </button>
      {open && (
        <div className="sl-audit__detail">
          <dl className="sl-facts">
            <div>
              <dt>Actor</dt>
              <dd>{event.actorId ?? 'the system'}</dd>
            </div>
            <div>
              <dt>Previous hash</dt>
              <dd>
                <code>{event.prevHash}</code>
              </dd>
            </div>
            <div>
              <dt>Hash</dt>
              <dd>
                <code>{event.hash}</code>
              </dd>
            </div>
          </dl>
          <JsonView label="Payload" value={event.payload} />
        </div>
      )}
    </li>
  );
}

/** `#/audit` (the workspace's chain) and `#/audit/<runId>` (one run's). */
export function AuditPage({ rest, me }: { rest: readonly string[]; me: Me }) {
  const runId = rest[0] ?? null;
  const [type, setType] = useState('');
  const [appliedType, setAppliedType] = useState('');
  const [loaded, setLoaded] = useState<{ key: string; events: AuditEvent[]; more: boolean } | null>(null);
  const [failure, setFailure] = useState<{ key: string; message: string } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [checked, setChecked] = useState<{ key: string; verdict: Verdict } | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [runInput, setRunInput] = useState(runId ?? '');
  const key = `${runId ?? ''}|${appliedType}|${attempt}`;
  const chainKey = runId ?? '';

  const page = useCallback(
    (beforeSeq: number | undefined, signal?: AbortSignal) =>
      api.audit.list.query(
        {
          limit: PAGE,
          ...(runId ? { runId } : {}),
          ...(appliedType ? { type: appliedType } : {}),
          ...(beforeSeq ? { beforeSeq } : {}),
        },
        { signal },
      ),
    [runId, appliedType],
  );

  useEffect(() => {
    const controller = new AbortController();
    page(undefined, controller.signal).then(
      (rows) => {
        if (!controller.signal.aborted) setLoaded({ key, events: rows, more: rows.length === PAGE });
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setFailure({ key, message: describeError(e) });
      },
    );
    return () => controller.abort();
  }, [page, key]);

  const events = loaded?.key === key ? loaded.events : null;
  const more = loaded?.key === key && loaded.more;
  const error = failure?.key === key ? failure.message : null;
  const setError = (message: string) => setFailure({ key, message });
  const verdict = checked?.key === chainKey ? checked.verdict : null;

  if (!me.permissions.includes('audit:read'))
    return (
      <StatusPane tone="empty" title="The audit trail is not open to your role">
        Owners, reviewers and auditors read and verify it.
      </StatusPane>
    );

  const title = runId ? 'Audit trail of a run' : 'Workspace audit trail';
  return (
    <div className="sl-page">
      <header className="sl-page__head">
        <h1 className="sl-page__title">{title}</h1>
        <div className="sl-page__actions">
          <button
            type="button"
            className="sl-button"
            disabled={verifying}
            onClick={() => {
              setVerifying(true);
              setChecked(null);
              api.audit.verify
                .query(runId ? { runId } : {})
                .then(
                  (result) => setChecked({ key: chainKey, verdict: result }),
                  (e: unknown) => setError(describeError(e)),
                )
                .finally(() => setVerifying(false));
            }}
          >
            {verifying ? 'Verifying…' : 'Verify chain'}
          </button>
          <button
            type="button"
            className="sl-button"
            disabled={exporting}
            onClick={() => {
              setExporting(true);
              exportChain(runId)
                .then(({ filename, body }) => downloadText(filename, body, 'application/x-ndjson'))
                .catch((e: unknown) => setError(describeError(e)))
                .finally(() => setExporting(false));
            }}
          >
            {exporting ? 'Exporting…' : 'Export JSON Lines'}
          </button>
        </div>
      </header>
      {runId && (
        <p className="sl-muted">
          Run <code>{runId}</code> · <a href={sectionHref('runs', runId)}>open the run</a> ·{' '}
          <a href={sectionHref('audit')}>workspace trail</a>
        </p>
      )}
      {verdict !== null && <VerifyResult verdict={verdict} />}
      <form
        className="sl-filters"
        aria-label="Filter audit events"
        onSubmit={(e) => {
          e.preventDefault();
          setAppliedType(type.trim());
          if (runInput.trim() !== (runId ?? '')) {
            if (runInput.trim()) navigate('audit', runInput.trim());
            else navigate('audit');
          }
        }}
      >
        <label className="sl-field">
          <span className="sl-field__label">Run id (empty: the workspace)</span>
          <input className="sl-input" value={runInput} onChange={(e) => setRunInput(e.target.value)} />
        </label>
        <label className="sl-field">
          <span className="sl-field__label">Event type</span>
          <input
            className="sl-input"
            value={type}
            placeholder="e.g. run.started"
            onChange={(e) => setType(e.target.value)}
          />
        </label>
        <button type="submit" className="sl-button">
          Apply filters
        </button>
      </form>
      {error !== null && (
        <StatusPane
          tone="error"
          title="Could not read the audit trail"
          action={<RetryButton onRetry={() => setAttempt((n) => n + 1)} />}
        >
          {error}
        </StatusPane>
      )}
      {events === null && error === null && <StatusPane tone="loading" title="Loading events…" />}
      {events !== null && events.length === 0 && <StatusPane tone="empty" title="No events match" />}
      {events !== null && events.length > 0 && (
        <>
          <ol className="sl-audit" aria-label="Audit events">
            {events.map((event) => (
              <EventRow key={event.seq} event={event} />
            ))}
          </ol>
          {more && (
            <button
              type="button"
              className="sl-button"
              onClick={() => {
                const last = events.at(-1)?.seq;
                page(last).then(
                  (rows) => setLoaded({ key, events: [...events, ...rows], more: rows.length === PAGE }),
                  (e: unknown) => setError(describeError(e)),
                );
              }}
            >
              Load older events
            </button>
          )}
        </>
      )}
    </div>
  );
}
