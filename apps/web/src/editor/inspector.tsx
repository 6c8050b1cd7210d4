// The inspector: the selected node's form, rendered from its kind's declared fields, with the
// compiler's problems inline at the field they concern; or the workflow's own settings when no node
// is selected.
import { getKind } from '@sluice/nodes';
import { type Classification, type Diagnostic, type JsonSchema, type Role } from '@sluice/spec';
import { useEffect, useMemo } from 'react';
import type { EditorGraph, GraphNode } from '../api/contract';
import { kindTitle } from '../workflows/canvas/kind-icon';
import { FieldEditor, type FieldContext, fieldId } from './field-editor';
import { CLASSIFICATIONS, getAt, setAt, updateNode } from './graph-ops';
import type { Editor } from './use-editor';

const ROLES: readonly Role[] = ['owner', 'editor', 'operator', 'reviewer', 'auditor'];

/** `input.a`, `input.a.b`: the fields of the data arriving at a node, for CEL autocompletion. */
export function upstreamFields(schema: JsonSchema | undefined, prefix = 'input', depth = 0): string[] {
  if (!schema || depth > 2) return [];
  const out: string[] = [];
  for (const [key, inner] of Object.entries(schema.properties ?? {})) {
    const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
      ? `${prefix}.${key}`
      : `${prefix}[${JSON.stringify(key)}]`;
    out.push(name, ...upstreamFields(inner, name, depth + 1));
  }
  return out;
}

function problemsOf(diagnostics: readonly Diagnostic[], nodeId: string) {
  const byPath = new Map<string, string[]>();
  const general: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (d.nodeId !== nodeId || d.edgeId) continue;
    if (!d.path || d.path.length === 0) {
      general.push(d);
      continue;
    }
    const text = d.hint ? `${d.message} (${d.hint})` : d.message;
    // A problem deeper than any control (config.outputSchema.properties.x) shows at the nearest field.
    for (let n = d.path.length; n > 0; n -= 1) {
      const key = d.path.slice(0, n).join('.');
      byPath.set(key, [...(byPath.get(key) ?? []), text]);
    }
  }
  return { byPath, general };
}

function NodeForm({ editor, node }: { editor: Editor; node: GraphNode }) {
  const def = getKind(node.kind);
  const { byPath, general } = useMemo(
    () => problemsOf(editor.result.diagnostics, node.id),
    [editor.result.diagnostics, node.id],
  );
  const suggestions = useMemo(
    () => upstreamFields(editor.result.analysis[node.id]?.input),
    [editor.result.analysis, node.id],
  );
  const teams = useMemo(
    () =>
      [...new Set([editor.graph.metadata.ownerTeam, ...editor.graph.nodes.map((n) => n.owner)])].filter(
        Boolean,
      ),
    [editor.graph],
  );
  const { focus } = editor;
  useEffect(() => {
    if (!focus || focus.nodeId !== node.id) return;
    // The nearest control that exists for the path (a list item field, else the list, else the form).
    const parts = focus.path.split('.');
    for (let n = parts.length; n > 0; n -= 1) {
      const element = document.getElementById(fieldId(node.id, parts.slice(0, n).join('.')));
      if (element) {
        element.focus();
        element.scrollIntoView({ block: 'nearest' });
        return;
      }
    }
    document.getElementById(fieldId(node.id, 'label'))?.focus();
  }, [focus, node.id]);

  const ctx: FieldContext = {
    nodeId: node.id,
    problems: byPath,
    suggestions,
    onChange: (path, value) => {
      const [head, ...rest] = path.split('.');
      editor.edit(
        (g) =>
          updateNode(g, node.id, (n) => {
            if (head === 'config') return { ...n, config: setAt(n.config, rest.join('.'), value) };
            if (head === 'label') return { ...n, label: typeof value === 'string' ? value : '' };
            if (head === 'owner') return { ...n, owner: typeof value === 'string' ? value : '' };
            if (head === 'description') {
              const { description: _d, ...other } = n;
              return typeof value === 'string' && value !== '' ? { ...other, description: value } : other;
            }
            if (head === 'classification' || head === 'clearance') {
              const { [head]: _old, ...other } = n;
              const level = CLASSIFICATIONS.find((c) => c === value);
              return level ? { ...other, [head]: level } : other;
            }
            return n;
          }),
        `${node.id}:${path}`,
      );
    },
  };
  const textField = (key: 'label' | 'owner', label: string) => (
    <div className="sl-field">
      <label className="sl-field__label" htmlFor={fieldId(node.id, key)}>
        {label}
      </label>
      <input
        id={fieldId(node.id, key)}
        className="sl-field__input"
        value={node[key]}
        list={key === 'owner' ? `${node.id}-teams` : undefined}
        aria-invalid={byPath.has(key) || undefined}
        onChange={(e) => ctx.onChange(key, e.target.value)}
      />
      {key === 'owner' && (
        <datalist id={`${node.id}-teams`}>
          {teams.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      )}
      {byPath.get(key)?.map((m, i) => (
        <p key={i} className="sl-field__problems">
          {m}
        </p>
      ))}
    </div>
  );
  const levelField = (key: 'classification' | 'clearance', label: string, current?: Classification) => (
    <div className="sl-field">
      <label className="sl-field__label" htmlFor={fieldId(node.id, key)}>
        {label}
      </label>
      <select
        id={fieldId(node.id, key)}
        className="sl-field__input"
        value={current ?? ''}
        onChange={(e) => ctx.onChange(key, e.target.value)}
      >
        <option value="">{key === 'classification' ? 'As received' : 'Kind default'}</option>
        {CLASSIFICATIONS.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      {byPath.get(key)?.map((m, i) => (
        <p key={i} className="sl-field__problems">
          {m}
        </p>
      ))}
    </div>
  );
  return (
    <form
      className="sl-inspector__form"
      aria-label={`Settings of ${node.label}`}
      onSubmit={(e) => e.preventDefault()}
    >
      <p className="sl-inspector__kind">
        {kindTitle(node.kind)} <code>{node.id}</code>
      </p>
      {general.length > 0 && (
        <ul className="sl-inspector__general" aria-label="Problems of this step">
          {general.map((d, i) => (
            <li key={i} data-severity={d.severity}>
              {d.message}
            </li>
          ))}
        </ul>
      )}
      {textField('label', 'Label')}
      <div className="sl-field">
        <label className="sl-field__label" htmlFor={fieldId(node.id, 'description')}>
          Description
        </label>
        <textarea
          id={fieldId(node.id, 'description')}
          className="sl-field__input"
          rows={2}
          value={node.description ?? ''}
          onChange={(e) => ctx.onChange('description', e.target.value)}
        />
      </div>
      {textField('owner', 'Owner team')}
      {levelField('classification', 'Classification', node.classification)}
      {levelField('clearance', 'Clearance', node.clearance)}
      {def ? (
        def.fields.map((field) => (
          <FieldEditor
            key={field.key}
            field={field}
            path={`config.${field.key}`}
            value={getAt(node.config, field.key)}
            ctx={ctx}
            siblings={node.config}
          />
        ))
      ) : (
        <p className="sl-field__problems">This build does not know the kind “{node.kind}”.</p>
      )}
    </form>
  );
}

function RolePicker({
  label,
  value,
  onChange,
}: {
  label: string;
  value: readonly Role[];
  onChange: (roles: Role[]) => void;
}) {
  return (
    <fieldset className="sl-field">
      <legend className="sl-field__label">{label}</legend>
      <div className="sl-field__choices">
        {ROLES.map((role) => (
          <label key={role} className="sl-field__choice">
            <input
              type="checkbox"
              checked={value.includes(role)}
              onChange={(e) =>
                onChange(e.target.checked ? [...value, role] : value.filter((r) => r !== role))
              }
            />
            {role}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function WorkflowForm({ editor }: { editor: Editor }) {
  const { metadata, access } = editor.graph;
  const setMeta = (key: 'name' | 'description' | 'ownerTeam', value: string) =>
    editor.edit((g: EditorGraph) => ({ ...g, metadata: { ...g.metadata, [key]: value } }), `workflow:${key}`);
  const setAccess = (key: keyof EditorGraph['access'], roles: Role[]) =>
    editor.edit((g: EditorGraph) => ({ ...g, access: { ...g.access, [key]: roles } }));
  return (
    <form className="sl-inspector__form" aria-label="Workflow settings" onSubmit={(e) => e.preventDefault()}>
      <p className="sl-inspector__hint">Select a step to configure it.</p>
      <div className="sl-field">
        <label className="sl-field__label" htmlFor="workflow-name">
          Workflow name
        </label>
        <input
          id="workflow-name"
          className="sl-field__input"
          value={metadata.name}
          onChange={(e) => setMeta('name', e.target.value)}
        />
      </div>
      <div className="sl-field">
        <label className="sl-field__label" htmlFor="workflow-description">
          Workflow description
        </label>
        <textarea
          id="workflow-description"
          className="sl-field__input"
          rows={3}
          value={metadata.description}
          onChange={(e) => setMeta('description', e.target.value)}
        />
      </div>
      <div className="sl-field">
        <label className="sl-field__label" htmlFor="workflow-owner">
          Owner team
        </label>
        <input
          id="workflow-owner"
          className="sl-field__input"
          value={metadata.ownerTeam}
          onChange={(e) => setMeta('ownerTeam', e.target.value)}
        />
      </div>
      <RolePicker label="May start runs" value={access.trigger} onChange={(r) => setAccess('trigger', r)} />
      <RolePicker label="May approve" value={access.approve} onChange={(r) => setAccess('approve', r)} />
      <RolePicker label="May operate runs" value={access.operate} onChange={(r) => setAccess('operate', r)} />
      <RolePicker label="May audit" value={access.audit} onChange={(r) => setAccess('audit', r)} />
    </form>
  );
}

/** The right-hand inspector panel. */
export function Inspector({ editor }: { editor: Editor }) {
  const ids = [...editor.selection.nodes];
  const node = ids.length === 1 ? editor.graph.nodes.find((n) => n.id === ids[0]) : undefined;
  return (
    <section className="sl-inspector" aria-label="Inspector">
      <h2 className="sl-panel__title">
        {node ? 'Step' : ids.length > 1 ? `${ids.length} steps selected` : 'Workflow'}
      </h2>
      {node ? (
        <NodeForm key={node.id} editor={editor} node={node} />
      ) : (
        ids.length <= 1 && <WorkflowForm editor={editor} />
      )}
    </section>
  );
}
