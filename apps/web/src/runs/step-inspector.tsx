// One step of a run: status and timings, input and output (masked by the server for roles that may
// not read them), findings, AI details, attempts and logs. Re-read whenever the step's overlay changes.
import { type ReactNode, useCallback } from 'react';
import { api } from '../api/client';
import type { RouterOutputs } from '../api/contract';
import { useQuery } from '../api/use-query';
import { fullDate } from '../format';
import { useLiveText } from '../live/use-live-text';
import { RetryButton, StatusPane } from '../ui/status';
import { between, formatDuration } from './duration';
import { JsonView } from './json-view';
import type { NodeOverlay } from './overlay';
import { StatusBadge } from './run-status';

type StepDetail = RouterOutputs['run']['step'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** What an AI step recorded: model, the rendered prompt, usage and the reply. */
function AiDetails({ details }: { details: Record<string, unknown> }) {
  const model = text(details.model);
  const provider = text(details.provider);
  const prompt = details.prompt ?? details.renderedPrompt;
  const system = text(details.system);
  const reply = details.reply ?? details.text ?? details.response;
  const usage = isRecord(details.usage) ? details.usage : null;
  return (
    <section className="sl-inspector__section" aria-labelledby="ai-heading">
      <h3 id="ai-heading" className="sl-inspector__heading">
        Model call
      </h3>
      <dl className="sl-facts">
        {provider !== null && (
          <div>
            <dt>Provider</dt>
            <dd>{provider}</dd>
          </div>
        )}
        {model !== null && (
          <div>
            <dt>Model</dt>
            <dd>{model}</dd>
          </div>
        )}
        {usage !== null &&
          Object.entries(usage).map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>{typeof value === 'number' ? value.toLocaleString() : JSON.stringify(value)}</dd>
            </div>
          ))}
      </dl>
      {system !== null && <JsonView label="System prompt" value={system} />}
      {prompt !== undefined && (
        <figure className="sl-json">
          <figcaption className="sl-json__caption">Rendered prompt</figcaption>
          <pre className="sl-json__body sl-json__body--prose" aria-label="Rendered prompt" tabIndex={0}>
            {typeof prompt === 'string' ? prompt : JSON.stringify(prompt, null, 2)}
          </pre>
        </figure>
      )}
      {reply !== undefined && (
        <figure className="sl-json">
          <figcaption className="sl-json__caption">Reply</figcaption>
          <pre className="sl-json__body sl-json__body--prose" aria-label="Reply" tabIndex={0}>
            {typeof reply === 'string' ? reply : JSON.stringify(reply, null, 2)}
          </pre>
        </figure>
      )}
    </section>
  );
}

function StepBody({ step }: { step: StepDetail }) {
  const details = isRecord(step.details) ? step.details : null;
  return (
    <>
      <dl className="sl-facts">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={step.status} />
          </dd>
        </div>
        <div>
          <dt>Attempt</dt>
          <dd>{step.attempt}</dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>{step.owner}</dd>
        </div>
        <div>
          <dt>Data</dt>
          <dd>
            in {step.classification.input} · out {step.classification.output}
          </dd>
        </div>
        {step.startedAt !== null && (
          <div>
            <dt>Started</dt>
            <dd>
              <time dateTime={step.startedAt}>{fullDate(step.startedAt)}</time>
            </dd>
          </div>
        )}
        <div>
          <dt>Duration</dt>
          <dd>{step.startedAt !== null ? between(step.startedAt, step.finishedAt) : '—'}</dd>
        </div>
        {step.tokens !== null && (
          <div>
            <dt>Tokens</dt>
            <dd>{step.tokens.toLocaleString()}</dd>
          </div>
        )}
      </dl>
      {step.waitingReason !== null && step.status === 'waiting' && (
        <p className="sl-inspector__note" role="note">
          Waiting: {step.waitingReason}
        </p>
      )}
      {step.error !== null && <JsonView label="Error" value={step.error} />}
      <JsonView label="Input" value={step.input} masked={step.masked.input} />
      <JsonView label="Output" value={step.output} masked={step.masked.output} />
      {details !== null && step.kind === 'ai' && <AiDetails details={details} />}
      {details !== null && step.kind !== 'ai' && (
        <JsonView label="Details" value={details} masked={step.masked.output} />
      )}
      {step.findings.length > 0 && (
        <section className="sl-inspector__section" aria-labelledby="findings-heading">
          <h3 id="findings-heading" className="sl-inspector__heading">
            Findings <span className="sl-count">{step.findings.length}</span>
          </h3>
          <ul className="sl-findings">
            {step.findings.map((finding, index) => (
              <li key={index} className="sl-findings__item">
                <JsonView label={`Finding ${index + 1}`} value={finding} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="sl-inspector__section" aria-labelledby="attempts-heading">
        <h3 id="attempts-heading" className="sl-inspector__heading">
          Attempts
        </h3>
        {step.attempts.length === 0 ? (
          <p className="sl-muted">Not started yet.</p>
        ) : (
          <table className="sl-table sl-table--compact">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Result</th>
                <th scope="col">Worker</th>
                <th scope="col">Took</th>
              </tr>
            </thead>
            <tbody>
              {step.attempts.map((attempt) => (
                <tr key={attempt.attempt}>
                  <td>{attempt.attempt}</td>
                  <td>
                    {attempt.status === 'settled' ? 'run by the engine' : attempt.status}
                    {attempt.error !== null && `: ${attempt.error.message}`}
                    {attempt.willRetry && ' (retried)'}
                  </td>
                  <td>{attempt.worker ?? '—'}</td>
                  <td>{attempt.durationMs !== null ? formatDuration(attempt.durationMs) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="sl-inspector__section" aria-labelledby="logs-heading">
        <h3 id="logs-heading" className="sl-inspector__heading">
          Logs <span className="sl-count">{step.logs.length}</span>
        </h3>
        {step.logs.length === 0 ? (
          <p className="sl-muted">No log lines.</p>
        ) : (
          <ol className="sl-logs" aria-label="Step logs">
            {step.logs.map((log) => (
              <li key={log.seq} className="sl-logs__line" data-level={log.level}>
                <span className="sl-logs__level">{log.level}</span> {log.message}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

/** The inspector panel for `nodeId` of `runId`; `overlay` changing makes it read the step again. */
export function StepInspector({
  runId,
  nodeId,
  label,
  overlay,
  onClose,
  actions = null,
}: {
  runId: string;
  nodeId: string;
  label: string;
  overlay: NodeOverlay | undefined;
  onClose: () => void;
  /** The operator's actions on this step (retry, rerun, roll back), shown under the heading. */
  actions?: ReactNode;
}) {
  const load = useCallback(
    (signal: AbortSignal) => api.run.step.query({ runId, nodeId }, { signal }),
    [runId, nodeId],
  );
  const version = `${overlay?.state ?? 'pending'}:${overlay?.attempt ?? 0}:${overlay?.compensating ?? false}`;
  const step = useQuery<StepDetail>(`run.step:${runId}:${nodeId}:${version}`, load);
  const streaming = useLiveText(runId, nodeId, overlay?.attempt ?? 0, overlay?.state === 'running');
  return (
    <aside className="sl-inspector" aria-labelledby="inspector-heading">
      <header className="sl-inspector__head">
        <h2 id="inspector-heading" className="sl-panel-title">
          Step: {label}
        </h2>
        <button
          type="button"
          className="sl-button sl-button--quiet"
          onClick={onClose}
          aria-label="Close step inspector"
        >
          Close
        </button>
      </header>
      {actions}
      {overlay?.compensating && (
        <p className="sl-inspector__note" role="status">
          Rolling back: the step’s compensation is running.
        </p>
      )}
      {overlay?.compensationError != null && !overlay.compensating && (
        <p className="sl-form-error" role="alert">
          The rollback failed: {overlay.compensationError}
        </p>
      )}
      {step.status === 'loading' && <StatusPane tone="loading" title="Loading step…" />}
      {step.status === 'error' && (
        <StatusPane
          tone="error"
          title="Could not load this step"
          action={<RetryButton onRetry={step.retry} />}
        >
          {step.message}
        </StatusPane>
      )}
      {streaming !== null && (
        <figure className="sl-json sl-inspector__section">
          <figcaption className="sl-json__caption">Reply, as it is generated</figcaption>
          <pre className="sl-json__body sl-json__body--prose" aria-label="Streaming reply" aria-live="polite">
            {streaming}
          </pre>
        </figure>
      )}
      {step.status === 'success' && <StepBody step={step.data} />}
    </aside>
  );
}
