// The operator's actions on a run, each behind a dialog that says exactly what will happen: retry a
// failed step or rerun from a settled one (`run.rerun`), roll back one step or the whole run (the
// plan from `run.rollbackPlan` first: what is undone, last first, and what is not reversible), then
// `run.rollback`. The server records each request in the audit trail.
import { useEffect, useState } from 'react';
import { api, describeError } from '../api/client';
import type { RouterOutputs } from '../api/contract';
import { ConfirmDialog } from './confirm-dialog';

type Plan = RouterOutputs['run']['rollbackPlan'];
type Outcomes = RouterOutputs['run']['rollback']['outcomes'];

function ErrorLine({ error }: { error: string | null }) {
  if (error === null) return null;
  return (
    <p className="sl-form-error" role="alert">
      {error}
    </p>
  );
}

/** What came of a rollback, in words: `null` when every step was undone. */
export function outcomeProblems(outcomes: Outcomes, labelOf: (id: string) => string): string | null {
  const problems = outcomes.flatMap((o) =>
    o.status === 'compensated'
      ? []
      : o.status === 'failed'
        ? [`${labelOf(o.nodeId)}: the compensation failed: ${o.error.message}`]
        : [`${labelOf(o.nodeId)} is not reversible: ${o.reason}`],
  );
  return problems.length > 0 ? problems.join('; ') : null;
}

/** "Retry" (a failed step) or "Rerun from here" (any settled step of a finished run). */
export function RerunStep({
  runId,
  nodeId,
  mode,
  scope,
  labelOf,
  onDone,
}: {
  runId: string;
  nodeId: string;
  mode: 'retry' | 'rerun';
  /** The steps that start again (see `rerunScope`), in graph order. */
  scope: readonly string[];
  labelOf: (id: string) => string;
  onDone: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = labelOf(nodeId);
  const others = scope.filter((id) => id !== nodeId).map(labelOf);
  const verb = mode === 'retry' ? 'Retry' : 'Rerun from here';
  return (
    <>
      <button type="button" className="sl-button" onClick={() => setOpen(true)}>
        {verb}
      </button>
      <ConfirmDialog
        open={open}
        title={mode === 'retry' ? `Retry ${label}?` : `Rerun from ${label}?`}
        confirmLabel={busy ? 'Starting…' : verb}
        dismissLabel="Keep as it is"
        busy={busy}
        onDismiss={() => setOpen(false)}
        onConfirm={() => {
          setBusy(true);
          setError(null);
          api.run.rerun
            .mutate({ id: runId, nodeId, ...(reason.trim() ? { reason: reason.trim() } : {}) })
            .then(
              () => {
                setOpen(false);
                onDone();
              },
              (e: unknown) => setError(describeError(e)),
            )
            .finally(() => setBusy(false));
        }}
      >
        <p>
          {label} runs again with a new attempt
          {others.length > 0 ? (
            <>
              , and so do the {others.length} steps after it: {others.join(', ')}
            </>
          ) : null}
          . Steps before it keep their outputs; a gate among these asks its approvers again. This is recorded
          in the audit trail.
        </p>
        <label className="sl-field">
          <span className="sl-field__label">Reason (optional)</span>
          <textarea
            className="sl-input"
            value={reason}
            maxLength={500}
            rows={2}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
        <ErrorLine error={error} />
      </ConfirmDialog>
    </>
  );
}

type PlanState = { entries: Plan } | { error: string } | null;

/** The plan, read each time a rollback dialog opens (`reset` clears the last one before opening). */
function usePlan(runId: string, open: boolean) {
  const [plan, setPlan] = useState<PlanState>(null);
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    api.run.rollbackPlan.query({ id: runId }, { signal: controller.signal }).then(
      (entries) => setPlan({ entries }),
      (e: unknown) => {
        if (!controller.signal.aborted) setPlan({ error: describeError(e) });
      },
    );
    return () => controller.abort();
  }, [runId, open]);
  return { plan, reset: () => setPlan(null) };
}

/**
 * "Roll back step" (one step) or "Roll back run" (no `nodeId`): the dialog lists what is undone and
 * what is not reversible before anything happens.
 */
export function Rollback({
  runId,
  nodeId,
  labelOf,
  onDone,
}: {
  runId: string;
  nodeId?: string;
  labelOf: (id: string) => string;
  onDone: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { plan, reset } = usePlan(runId, open);
  const entries =
    plan !== null && 'entries' in plan
      ? plan.entries.filter((e) => nodeId === undefined || e.nodeId === nodeId)
      : null;
  const reversible = entries?.filter((e) => e.reversible) ?? [];
  const notReversible = entries?.filter((e) => !e.reversible) ?? [];
  const verb = nodeId === undefined ? 'Roll back run' : 'Roll back step';
  const title = nodeId === undefined ? 'Roll back this run?' : `Roll back ${labelOf(nodeId)}?`;
  return (
    <>
      <button
        type="button"
        className="sl-button sl-button--danger"
        onClick={() => {
          reset();
          setOpen(true);
        }}
      >
        {verb}
      </button>
      <ConfirmDialog
        open={open}
        title={title}
        confirmLabel={busy ? 'Rolling back…' : verb}
        dismissLabel="Keep as it is"
        danger
        busy={busy || reversible.length === 0}
        onDismiss={() => {
          setOpen(false);
          setError(null);
        }}
        onConfirm={() => {
          setBusy(true);
          setError(null);
          api.run.rollback
            .mutate({ id: runId, ...(nodeId !== undefined ? { nodeId } : {}) })
            .then(
              (result) => {
                const problems = outcomeProblems(result.outcomes, labelOf);
                onDone();
                if (problems === null) setOpen(false);
                else setError(problems);
              },
              (e: unknown) => setError(describeError(e)),
            )
            .finally(() => setBusy(false));
        }}
      >
        {plan === null && <p className="sl-muted">Reading what can be undone…</p>}
        {plan !== null && 'error' in plan && <ErrorLine error={plan.error} />}
        {entries !== null && entries.length === 0 && (
          <p>Nothing to roll back: no succeeded step with side effects{nodeId ? ' here' : ''}.</p>
        )}
        {reversible.length > 0 && (
          <>
            <p>
              {reversible.length === 1
                ? 'Its compensation runs as a step of its own, visible in the run view:'
                : 'Their compensations run one by one, last first, each visible in the run view:'}
            </p>
            <ol className="sl-plan" aria-label="Will be undone">
              {reversible.map((e) => (
                <li key={e.nodeId}>
                  {labelOf(e.nodeId)}{' '}
                  <span className="sl-muted">
                    ({e.kind}, attempt {e.attempt})
                  </span>
                </li>
              ))}
            </ol>
          </>
        )}
        {notReversible.length > 0 && (
          <ul className="sl-plan sl-plan--blocked" aria-label="Not reversible">
            {notReversible.map((e) => (
              <li key={e.nodeId}>
                not reversible: {labelOf(e.nodeId)} ({e.reason ?? 'no compensation'})
              </li>
            ))}
          </ul>
        )}
        <p className="sl-muted">This is recorded in the audit trail.</p>
        <ErrorLine error={error} />
      </ConfirmDialog>
    </>
  );
}
