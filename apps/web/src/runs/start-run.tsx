// Starting a run: choose a workflow, fill the form generated from its trigger's input schema (or
// one JSON document when the schema is not a flat object), and go to the new run.
import { useCallback, useState } from 'react';
import { api, describeError } from '../api/client';
import type { RouterOutputs } from '../api/contract';
import { useQuery } from '../api/use-query';
import { navigate } from '../routes';
import { StatusPane } from '../ui/status';
import { type FormValues, inputFields, type InputField, readInput } from './input-form';

type Trigger = RouterOutputs['run']['trigger'];
type Workflows = RouterOutputs['workflow']['list'];

function Field({
  field,
  value,
  error,
  onChange,
}: {
  field: InputField;
  value: string | boolean | undefined;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
}) {
  const id = `start-field-${field.name}`;
  const describedBy = [error ? `${id}-error` : null, field.description ? `${id}-hint` : null]
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    name: field.name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy || undefined,
    required: field.required,
  };
  let control;
  if (field.type === 'boolean') {
    control = (
      <input
        {...common}
        type="checkbox"
        checked={value === true}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  } else if (field.type === 'enum') {
    control = (
      <select
        {...common}
        className="sl-input"
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">{field.required ? 'Choose…' : '(none)'}</option>
        {field.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if (field.type === 'json' || /body|text|message|description/i.test(field.name)) {
    control = (
      <textarea
        {...common}
        className="sl-input"
        rows={field.type === 'json' ? 4 : 3}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  } else {
    control = (
      <input
        {...common}
        className="sl-input"
        type={field.type === 'string' ? field.inputType : 'text'}
        inputMode={field.type === 'number' ? 'decimal' : field.type === 'integer' ? 'numeric' : undefined}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className={`sl-field${field.type === 'boolean' ? ' sl-field--check' : ''}`}>
      <label className="sl-field__label" htmlFor={id}>
        {field.label}
        {field.required && <span aria-hidden="true"> *</span>}
      </label>
      {control}
      {field.description && (
        <span className="sl-field__hint" id={`${id}-hint`}>
          {field.description}
        </span>
      )}
      {error && (
        <span className="sl-field__error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

function StartForm({ trigger, onCancel }: { trigger: Trigger; onCancel: () => void }) {
  const fields = inputFields(trigger.input);
  const [values, setValues] = useState<FormValues>({});
  const [json, setJson] = useState('{}');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = () => {
    let input: unknown;
    if (fields) {
      const result = readInput(fields, values);
      if (!result.ok) {
        setErrors(result.errors);
        return;
      }
      input = result.input;
    } else {
      try {
        input = JSON.parse(json);
      } catch {
        setErrors({ $json: 'The input is not valid JSON' });
        return;
      }
    }
    setErrors({});
    setFailure(null);
    setBusy(true);
    api.run.start
      .mutate({ workflowId: trigger.workflowId, version: trigger.version, input })
      .then(
        (started) => navigate('runs', started.runId),
        (e: unknown) => setFailure(describeError(e)),
      )
      .finally(() => setBusy(false));
  };

  return (
    <form
      className="sl-start-form"
      aria-label={`Start ${trigger.name}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <p className="sl-muted">
        Version {trigger.version}
        {trigger.type !== null && trigger.type !== 'manual'
          ? ` · usually started by its ${trigger.type} trigger`
          : ''}
      </p>
      {fields ? (
        fields.map((field) => (
          <Field
            key={field.name}
            field={field}
            value={values[field.name]}
            error={errors[field.name]}
            onChange={(value) => setValues((v) => ({ ...v, [field.name]: value }))}
          />
        ))
      ) : (
        <div className="sl-field">
          <label className="sl-field__label" htmlFor="start-json">
            Input (JSON)
          </label>
          <textarea
            id="start-json"
            className="sl-input sl-input--mono"
            rows={6}
            value={json}
            onChange={(e) => setJson(e.target.value)}
          />
          {errors.$json && <span className="sl-field__error">{errors.$json}</span>}
        </div>
      )}
      {failure !== null && (
        <p className="sl-form-error" role="alert">
          {failure}
        </p>
      )}
      <div className="sl-dialog__actions">
        <button type="button" className="sl-button sl-button--quiet" onClick={onCancel}>
          Close
        </button>
        <button type="submit" className="sl-button sl-button--primary" disabled={busy}>
          {busy ? 'Starting…' : 'Start run'}
        </button>
      </div>
    </form>
  );
}

function TriggerForm({ workflowId, onCancel }: { workflowId: string; onCancel: () => void }) {
  const load = useCallback(
    (signal: AbortSignal) => api.run.trigger.query({ workflowId }, { signal }),
    [workflowId],
  );
  const trigger = useQuery<Trigger>(`run.trigger:${workflowId}`, load);
  if (trigger.status === 'loading') return <StatusPane tone="loading" title="Loading the input form…" />;
  if (trigger.status === 'error')
    return (
      <StatusPane tone="error" title="This workflow cannot be started">
        {trigger.message}
      </StatusPane>
    );
  return <StartForm key={workflowId} trigger={trigger.data} onCancel={onCancel} />;
}

/** The "Start a run" panel: a workflow picker and its input form. */
export function StartRunPanel({ workflows, onClose }: { workflows: Workflows; onClose: () => void }) {
  const startable = workflows.filter((w) => w.latestVersion !== null);
  const [workflowId, setWorkflowId] = useState(startable[0]?.id ?? '');
  return (
    <section className="sl-start" aria-labelledby="start-heading">
      <h2 id="start-heading" className="sl-panel-title">
        Start a run
      </h2>
      {startable.length === 0 ? (
        <p className="sl-muted">No workflow has a published version yet.</p>
      ) : (
        <>
          <label className="sl-field">
            <span className="sl-field__label">Workflow</span>
            <select className="sl-input" value={workflowId} onChange={(e) => setWorkflowId(e.target.value)}>
              {startable.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </label>
          {workflowId !== '' && <TriggerForm key={workflowId} workflowId={workflowId} onCancel={onClose} />}
        </>
      )}
    </section>
  );
}
