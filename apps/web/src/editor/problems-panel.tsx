// The problems panel: every diagnostic of the live compile, errors first. Choosing one selects its
// node (or wire) and puts the cursor in the field it concerns; a diagnostic with a mechanical remedy
// offers it as a button.
import type { CompileResult, Diagnostic } from '@sluice/spec';
import { memo } from 'react';
import type { EditorGraph } from '../api/contract';
import { fixesFor } from './fixes';
import type { Editor } from './use-editor';

/** What the panel needs: the graph and the live result (neither changes during a drag) and stable actions. */
interface PanelProps {
  graph: EditorGraph;
  result: CompileResult;
  select: Editor['select'];
  focusField: Editor['focusField'];
  edit: Editor['edit'];
  onFixed: (message: string) => void;
}

/** Past this many, the rest are counted, not listed: a huge graph stays responsive. */
const SHOWN = 200;

const RANK = { error: 0, warning: 1, info: 2 } as const;

function where(editor: { graph: EditorGraph }, d: Diagnostic): string {
  const node = d.nodeId ? editor.graph.nodes.find((n) => n.id === d.nodeId) : undefined;
  if (d.edgeId) {
    const edge = editor.graph.edges.find((e) => e.id === d.edgeId);
    const from = editor.graph.nodes.find((n) => n.id === edge?.source)?.label ?? edge?.source;
    const to = editor.graph.nodes.find((n) => n.id === edge?.target)?.label ?? edge?.target;
    return edge ? `wire ${from} → ${to}` : `wire ${d.edgeId}`;
  }
  return node ? node.label || node.id : 'workflow';
}

/** The list of problems with their "show" and "fix" actions. */
export const ProblemsPanel = memo(function ProblemsPanel({
  graph,
  result,
  select,
  focusField,
  edit,
  onFixed,
}: PanelProps) {
  const editor = { graph, result, select, focusField, edit };
  const diagnostics = [...editor.result.diagnostics].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return (
    <section className="sl-problems" aria-labelledby="problems-heading">
      <h2 id="problems-heading" className="sl-panel__title">
        Problems{' '}
        <span className="sl-count" aria-label={`${errors} errors, ${warnings} warnings`}>
          {errors} · {warnings}
        </span>
      </h2>
      {diagnostics.length === 0 ? (
        <p className="sl-problems__none" role="status">
          No problems: this draft can be published.
        </p>
      ) : (
        <ul className="sl-problems__list" aria-label="Problems">
          {diagnostics.slice(0, SHOWN).map((d, index) => {
            const fixes = fixesFor(d, editor.result.analysis);
            const place = where(editor, d);
            return (
              <li
                key={`${d.code}-${d.nodeId ?? ''}-${d.edgeId ?? ''}-${index}`}
                className="sl-problem"
                data-severity={d.severity}
              >
                <button
                  type="button"
                  className="sl-problem__show"
                  aria-label={`${d.severity} ${d.code} at ${place}: ${d.message}`}
                  onClick={() => {
                    if (d.edgeId) {
                      editor.select(d.nodeId ? [d.nodeId] : [], [d.edgeId]);
                    } else if (d.nodeId) {
                      editor.focusField(d.nodeId, (d.path ?? []).join('.'));
                    }
                  }}
                >
                  <span className="sl-problem__severity">{d.severity}</span>
                  <span className="sl-problem__where">{place}</span>
                  <span className="sl-problem__message">{d.message}</span>
                  {d.hint && <span className="sl-problem__hint">{d.hint}</span>}
                </button>
                {fixes.map((fix) => (
                  <button
                    key={fix.label}
                    type="button"
                    className="sl-button sl-button--small"
                    onClick={() => {
                      const done = fix.apply(editor.graph);
                      if (!done) return;
                      editor.edit(() => done.graph);
                      if (done.select) editor.select([done.select]);
                      onFixed(`${fix.label}: done`);
                    }}
                  >
                    {fix.label}
                  </button>
                ))}
              </li>
            );
          })}
        </ul>
      )}
      {diagnostics.length > SHOWN && (
        <p className="sl-problems__more">and {diagnostics.length - SHOWN} more</p>
      )}
    </section>
  );
});
