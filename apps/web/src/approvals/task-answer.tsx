// Answering a human task: its instructions (as text, never HTML) and the form generated from its JSON
// Schema, checked in the browser as the schema says and again by the server, whose refusal is shown
// next to the field it names. The answer is bound to the payload hash the person was shown.
import { useMemo, useState } from 'react';
import { api, describeError } from '../api/client';
import type { RouterOutputs } from '../api/contract';
import { fullDate } from '../format';
import {
  initialValues,
  readAnswer,
  serverErrors,
  type TaskField,
  taskFields,
  type TaskValues,
} from './task-form';

type Approval = RouterOutputs['approval']['get'];
type Answer = Parameters<typeof api.approval.answer.mutate>[0]['answer'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function FieldControl({
  field,
  idPrefix,
  value,
  error,
  disabled,
  onChange,
}: {
  field: TaskField;
  idPrefix: string;
  value: string | boolean | undefined;
  error: string | undefined;
  disabled: boolean;
  onChange: (value: string | boolean) => void;
}) {
  const id = `${idPrefix}-${field.name}`;
  const describedBy = [error ? `${id}-error` : null, field.description ? `${id}-hint` : null]
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    name: field.name,
    disabled,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy || undefined,
    'aria-required': field.required || undefined,
  };
  const text = typeof value === 'string' ? value : '';
  let control;
  switch (field.type) {
    case 'boolean':
      control = (
        <input
          {...common}
          type="checkbox"
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
        />
      );
      break;
    case 'enum':
      control = (
        <select {...common} className="sl-input" value={text} onChange={(e) => onChange(e.target.value)}>
          <option value="">{field.required ? 'Choose…' : '(none)'}</option>
          {field.options.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </select>
      );
      break;
    case 'text':
      control = (
        <textarea
          {...common}
          className="sl-input"
          rows={4}
          value={text}
          maxLength={field.maxLength ?? undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    default:
      control = (
        <input
          {...common}
          className="sl-input"
          type="text"
          inputMode={field.type === 'number' ? 'decimal' : field.type === 'integer' ? 'numeric' : undefined}
          value={text}
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

/** The task's instructions and form; `onAnswered` after the server took the answer. */
export function TaskAnswer({ approval, onAnswered }: { approval: Approval; onAnswered: () => void }) {
  const payload = isRecord(approval.payload) ? approval.payload : {};
  const instructions = typeof payload.instructions === 'string' ? payload.instructions : '';
  const form = approval.task?.form ?? payload.form;
  const { fields, unsupported } = useMemo(() => taskFields(form), [form]);
  const [values, setValues] = useState<TaskValues>(() => initialValues(fields));
  const [json, setJson] = useState('{}');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const answered = approval.task?.answeredAt ?? null;
  const open = approval.status === 'open' && answered === null;
  const disabled = !open || !approval.mayDecide || busy;
  // A form with nested properties is answered as one JSON document (the server checks it).
  const asJson = unsupported.length > 0;
  const idPrefix = `task-${approval.runId}-${approval.nodeId}`;

  const submit = () => {
    let answer: Answer;
    if (asJson) {
      try {
        answer = JSON.parse(json) as Answer;
      } catch {
        setErrors({ '': 'The answer is not valid JSON' });
        return;
      }
    } else {
      const result = readAnswer(fields, values);
      if (!result.ok) {
        setErrors(result.errors);
        return;
      }
      answer = result.answer as Answer;
    }
    setErrors({});
    setBusy(true);
    api.approval.answer
      .mutate({ runId: approval.runId, nodeId: approval.nodeId, answer, payloadHash: approval.payloadHash })
      .then(onAnswered, (e: unknown) =>
        setErrors(
          serverErrors(
            describeError(e),
            fields.map((f) => f.name),
          ),
        ),
      )
      .finally(() => setBusy(false));
  };

  return (
    <section className="sl-inspector__section sl-task" aria-labelledby={`${idPrefix}-heading`}>
      <h3 id={`${idPrefix}-heading`} className="sl-inspector__heading">
        The task
      </h3>
      {instructions !== '' && (
        <p className="sl-task__instructions" aria-label="Instructions">
          {instructions}
        </p>
      )}
      {'input' in payload && payload.input !== undefined && (
        <details className="sl-task__input">
          <summary>The data it is about</summary>
          <pre className="sl-json__body">{JSON.stringify(payload.input, null, 2)}</pre>
        </details>
      )}
      {approval.task?.dueAt && <p className="sl-muted">Due {fullDate(approval.task.dueAt)}</p>}
      {answered !== null && <p className="sl-inspector__note">Answered {fullDate(answered)}.</p>}
      {open && !approval.mayDecide && (
        <p className="sl-inspector__note" role="note" id={`${idPrefix}-why`}>
          You may not answer: {approval.why}
        </p>
      )}
      {open && (
        <form
          className="sl-task__form"
          aria-label="Answer the task"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          {asJson ? (
            <label className="sl-field">
              <span className="sl-field__label">Answer (JSON)</span>
              <textarea
                className="sl-input"
                rows={6}
                value={json}
                disabled={disabled}
                onChange={(e) => setJson(e.target.value)}
              />
            </label>
          ) : (
            fields.map((field) => (
              <FieldControl
                key={field.name}
                field={field}
                idPrefix={idPrefix}
                value={values[field.name]}
                error={errors[field.name]}
                disabled={disabled}
                onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
              />
            ))
          )}
          {errors[''] !== undefined && (
            <p className="sl-form-error" role="alert">
              {errors['']}
            </p>
          )}
          <div className="sl-dialog__actions">
            <button type="submit" className="sl-button sl-button--primary" disabled={disabled}>
              {busy ? 'Sending…' : 'Send answer'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
