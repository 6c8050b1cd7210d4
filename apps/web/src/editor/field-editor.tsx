// One generic renderer for every inspector field a node kind declares (CONVENTIONS 6): the editor
// type picks the control; values are read and written at the field's dot path. Text from users is
// only ever a form value or a text node.
import type { InspectorField } from '@sluice/spec';
import { useId, useState } from 'react';
import { CLASSIFICATIONS, getAt, setAt } from './graph-ops';

const ROLES = ['owner', 'editor', 'operator', 'reviewer', 'auditor'] as const;

/** The DOM id of the control for `path` (`config.tiers.0.when`) of node `nodeId`. */
export function fieldId(nodeId: string, path: string): string {
  return `field-${nodeId}-${path}`.replace(/[^A-Za-z0-9_.-]/g, '_');
}

export interface FieldContext {
  nodeId: string;
  /** Problems per path (`config.prompt`), already as sentences. */
  problems: ReadonlyMap<string, string[]>;
  /** `input.<field>` names for CEL autocompletion. */
  suggestions: readonly string[];
  /** Writes a value at a path of the node (`config.prompt`). */
  onChange: (path: string, value: unknown) => void;
}

function Problems({ id, messages }: { id: string; messages: string[] | undefined }) {
  if (!messages || messages.length === 0) return null;
  return (
    <ul id={id} className="sl-field__problems">
      {messages.map((m, i) => (
        <li key={i}>{m}</li>
      ))}
    </ul>
  );
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function asList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(asText) : [];
}

function JsonField({
  id,
  value,
  onCommit,
  describedBy,
  label,
}: {
  id: string;
  value: unknown;
  onCommit: (value: unknown) => void;
  describedBy: string | undefined;
  label: string;
}) {
  const shown = value === undefined ? '' : JSON.stringify(value, null, 2);
  const [draft, setDraft] = useState<{ base: string; text: string; error: string | null }>({
    base: shown,
    text: shown,
    error: null,
  });
  const current = draft.base === shown ? draft : { base: shown, text: shown, error: null };
  return (
    <>
      <textarea
        id={id}
        className="sl-field__input sl-field__input--code"
        rows={5}
        spellCheck={false}
        value={current.text}
        aria-label={label}
        aria-invalid={current.error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(event) => {
          const text = event.target.value;
          if (text.trim() === '') {
            setDraft({ base: '', text, error: null });
            onCommit(undefined);
            return;
          }
          try {
            const parsed: unknown = JSON.parse(text);
            const base = JSON.stringify(parsed, null, 2);
            setDraft({ base, text, error: null });
            onCommit(parsed);
          } catch (error) {
            setDraft({ base: shown, text, error: error instanceof Error ? error.message : 'not JSON' });
          }
        }}
      />
      {current.error && <p className="sl-field__problems">Not valid JSON yet: {current.error}</p>}
    </>
  );
}

/** The control for one field at `path` (e.g. `config.tiers.0.when`) with value `value`. */
export function FieldEditor({
  field,
  path,
  value,
  ctx,
  siblings,
}: {
  field: InspectorField;
  path: string;
  value: unknown;
  ctx: FieldContext;
  /** The object the field's key is relative to, for `visibleWhen`. */
  siblings: unknown;
}) {
  const listId = useId();
  if (field.visibleWhen) {
    const other = getAt(siblings, field.visibleWhen.key);
    if (!field.visibleWhen.equals.some((v) => v === other)) return null;
  }
  const id = fieldId(ctx.nodeId, path);
  const problemsId = `${id}-problems`;
  const messages = ctx.problems.get(path);
  const describedBy = messages && messages.length > 0 ? problemsId : undefined;
  const invalid = describedBy ? true : undefined;
  const set = (next: unknown) => ctx.onChange(path, next);
  const setText = (text: string) => set(text === '' && !field.required ? undefined : text);
  const common = { id, 'aria-invalid': invalid, 'aria-describedby': describedBy } as const;

  let control;
  switch (field.editor) {
    case 'text':
    case 'credential':
      control = (
        <input
          {...common}
          className="sl-field__input"
          value={asText(value)}
          placeholder={field.placeholder}
          onChange={(e) => setText(e.target.value)}
        />
      );
      break;
    case 'textarea':
    case 'template':
      control = (
        <textarea
          {...common}
          className="sl-field__input"
          rows={field.editor === 'template' ? 4 : 3}
          value={asText(value)}
          onChange={(e) => set(e.target.value)}
        />
      );
      break;
    case 'cel':
      control = (
        <>
          <input
            {...common}
            className="sl-field__input sl-field__input--code"
            spellCheck={false}
            autoComplete="off"
            list={listId}
            value={asText(value)}
            placeholder="e.g. input.amount > 100"
            onChange={(e) => set(e.target.value)}
          />
          <datalist id={listId}>
            {ctx.suggestions.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </>
      );
      break;
    case 'number':
    case 'duration':
      control = (
        <input
          {...common}
          className="sl-field__input"
          type="number"
          min={field.min}
          max={field.max}
          value={typeof value === 'number' ? value : ''}
          onChange={(e) => set(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      );
      break;
    case 'select':
    case 'classification': {
      const options =
        field.editor === 'classification'
          ? CLASSIFICATIONS.map((c) => ({ value: c, label: c }))
          : (field.options ?? []);
      control = (
        <select
          {...common}
          className="sl-field__input"
          value={asText(value)}
          onChange={(e) => {
            const chosen = options.find((o) => String(o.value) === e.target.value);
            set(chosen ? chosen.value : undefined);
          }}
        >
          {(value === undefined || field.editor === 'classification') && <option value="">—</option>}
          {options.map((o) => (
            <option key={String(o.value)} value={String(o.value)}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    }
    case 'toggle':
      control = (
        <input {...common} type="checkbox" checked={value === true} onChange={(e) => set(e.target.checked)} />
      );
      break;
    case 'roles':
    case 'tags': {
      const options =
        field.editor === 'roles' ? ROLES.map((r) => ({ value: r, label: r })) : (field.options ?? []);
      if (options.length === 0) {
        control = (
          <input
            {...common}
            className="sl-field__input"
            value={asList(value).join(', ')}
            onChange={(e) => set(splitList(e.target.value))}
          />
        );
        break;
      }
      const chosen = asList(value);
      control = (
        <div className="sl-field__choices" role="group" aria-labelledby={`${id}-label`} id={id}>
          {options.map((o) => (
            <label key={String(o.value)} className="sl-field__choice">
              <input
                type="checkbox"
                checked={chosen.includes(String(o.value))}
                onChange={(e) =>
                  set(
                    e.target.checked
                      ? [...chosen, String(o.value)]
                      : chosen.filter((c) => c !== String(o.value)),
                  )
                }
              />
              {o.label}
            </label>
          ))}
        </div>
      );
      break;
    }
    case 'users':
      control = (
        <input
          {...common}
          className="sl-field__input"
          value={asList(value).join(', ')}
          placeholder="alice@example.com, bob@example.com"
          onChange={(e) => set(splitList(e.target.value))}
        />
      );
      break;
    case 'list':
      return <ListField field={field} path={path} value={value} ctx={ctx} />;
    default:
      control = (
        <JsonField id={id} value={value} onCommit={set} describedBy={describedBy} label={field.label} />
      );
  }
  const isGroup = field.editor === 'roles' || (field.editor === 'tags' && (field.options ?? []).length > 0);
  return (
    <div className="sl-field" data-editor={field.editor}>
      {isGroup ? (
        <span className="sl-field__label" id={`${id}-label`}>
          {field.label}
        </span>
      ) : (
        <label className="sl-field__label" htmlFor={id}>
          {field.label}
        </label>
      )}
      {control}
      {field.help && <p className="sl-field__help">{field.help}</p>}
      {field.editor === 'cel' && ctx.suggestions.length > 0 && (
        <p className="sl-field__help">Fields: {ctx.suggestions.slice(0, 8).join(', ')}</p>
      )}
      <Problems id={problemsId} messages={messages} />
    </div>
  );
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function emptyItem(fields: readonly InspectorField[]): Record<string, unknown> {
  let item: Record<string, unknown> = {};
  for (const f of fields) {
    const first = f.options?.[0]?.value;
    item = setAt(
      item,
      f.key,
      f.editor === 'select' && first !== undefined ? first : f.editor === 'toggle' ? false : '',
    );
  }
  return item;
}

function ListField({
  field,
  path,
  value,
  ctx,
}: {
  field: InspectorField;
  path: string;
  value: unknown;
  ctx: FieldContext;
}) {
  const items: unknown[] = Array.isArray(value) ? value : [];
  const itemFields = field.itemFields ?? [];
  const messages = ctx.problems.get(path);
  return (
    <fieldset className="sl-field sl-field--list" id={fieldId(ctx.nodeId, path)}>
      <legend className="sl-field__label">{field.label}</legend>
      {items.map((item, index) => (
        <div className="sl-field__item" key={index} role="group" aria-label={`${field.label} ${index + 1}`}>
          {itemFields.map((inner) => (
            <FieldEditor
              key={inner.key}
              field={{ ...inner, label: `${inner.label}` }}
              path={`${path}.${index}.${inner.key}`}
              value={getAt(item, inner.key)}
              ctx={ctx}
              siblings={item}
            />
          ))}
          <button
            type="button"
            className="sl-button sl-button--quiet"
            aria-label={`Remove ${field.label} ${index + 1}`}
            onClick={() =>
              ctx.onChange(
                path,
                items.filter((_, i) => i !== index),
              )
            }
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        className="sl-button"
        onClick={() => ctx.onChange(path, [...items, emptyItem(itemFields)])}
      >
        Add to {field.label.replace(/\s*\(.*\)$/, '').toLowerCase()}
      </button>
      {messages && messages.length > 0 && (
        <ul className="sl-field__problems">
          {messages.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
