// The editor of one workflow: toolbar (undo, redo, layout, publish, views), palette, canvas,
// inspector and problems; the draft autosaves; publishing is blocked while errors remain.
import '../styles/editor.css';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { api, describeError } from '../api/client';
import type { WorkflowDetail } from '../api/client';
import type { EditorGraph } from '../api/contract';
import { useQuery } from '../api/use-query';
import { RetryButton, StatusPane } from '../ui/status';
import { type Route, workflowHref } from '../use-hash-route';
import { EditorCanvas } from './editor-canvas';
import { addNode, moveNodes, newNode } from './graph-ops';
import { Inspector } from './inspector';
import { layoutGraph } from './layout';
import { OwnershipMap } from './ownership-map';
import { Palette } from './palette';
import { ProblemsPanel } from './problems-panel';
import { ShortcutsHelp } from './shortcuts-help';
import { useEditor } from './use-editor';
import { DiffView, VersionsList } from './versions-view';

type SaveState = { status: 'saved' | 'saving' | 'unsaved' } | { status: 'failed'; message: string };

const AUTOSAVE_MS = 700;

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/** Saves the draft `AUTOSAVE_MS` after the last edit; `flush` saves at once (before publishing). */
function useAutosave(id: string, graph: EditorGraph, initialUpdatedAt: string) {
  const [state, setState] = useState<SaveState>({ status: 'saved' });
  const saved = useRef(graph);
  const base = useRef(initialUpdatedAt);
  const pending = useRef<Promise<void> | null>(null);
  const latest = useRef(graph);
  useLayoutEffect(() => {
    latest.current = graph;
  }, [graph]);

  const save = useCallback(async () => {
    const graphToSave = latest.current;
    if (graphToSave === saved.current) return;
    setState({ status: 'saving' });
    try {
      const answer = await api.workflow.saveDraft.mutate({
        id,
        graph: graphToSave,
        baseUpdatedAt: base.current,
      });
      base.current = answer.updatedAt;
      saved.current = graphToSave;
      setState({ status: latest.current === graphToSave ? 'saved' : 'unsaved' });
    } catch (error) {
      setState({ status: 'failed', message: describeError(error) });
      throw error;
    }
  }, [id]);

  useEffect(() => {
    if (graph === saved.current) return;
    setState((s) => (s.status === 'failed' ? s : { status: 'unsaved' }));
    const timer = window.setTimeout(() => {
      pending.current = save().catch(() => undefined);
    }, AUTOSAVE_MS);
    return () => window.clearTimeout(timer);
  }, [graph, save]);

  const flush = useCallback(async () => {
    await pending.current;
    await save();
  }, [save]);
  return { state, flush };
}

function SaveStatus({ state }: { state: SaveState }) {
  const text =
    state.status === 'failed'
      ? `Not saved: ${state.message}`
      : state.status === 'saved'
        ? 'All changes saved'
        : state.status === 'saving'
          ? 'Saving…'
          : 'Unsaved changes';
  return (
    <span className="sl-save" data-status={state.status} role="status">
      {text}
    </span>
  );
}

function EditorWorkspace({ workflow, route }: { workflow: WorkflowDetail; route: Route }) {
  const editor = useEditor(workflow.draftGraph);
  const flow = useReactFlow();
  const autosave = useAutosave(workflow.id, editor.graph, workflow.updatedAt);
  const [message, setMessage] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const [published, setPublished] = useState(workflow.latestVersion);
  const [busy, setBusy] = useState<'layout' | 'publish' | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const errors = editor.result.diagnostics.filter((d) => d.severity === 'error').length;
  const title = editor.graph.metadata.name || workflow.name;

  const say = useCallback((text: string, tone: 'info' | 'error' = 'info') => setMessage({ tone, text }), []);
  const refused = useCallback((reason: string) => say(`Cannot connect: ${reason}`, 'error'), [say]);
  const added = useCallback(() => setMessage(null), []);

  const addAtCentre = (kind: string) => {
    const box = document.querySelector('.sl-editor__canvas')?.getBoundingClientRect();
    const centre = box
      ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 })
      : { x: 0, y: 0 };
    const spot = freeSpot(editor.graph, { x: centre.x - 124, y: centre.y - 60 });
    const node = newNode(editor.graph, kind, spot);
    editor.edit((g) => addNode(g, node));
    // Once measured, bring the new step (and the rest) into view.
    window.setTimeout(() => void flow.fitView({ padding: 0.15, maxZoom: 1 }), 50);
    editor.select([node.id]);
  };

  const autoLayout = async () => {
    setBusy('layout');
    try {
      const positions = await layoutGraph(editor.graph);
      editor.edit((g) => moveNodes(g, positions));
      window.requestAnimationFrame(() => void flow.fitView({ padding: 0.15, maxZoom: 1 }));
      say('Laid out the graph.');
    } catch (error) {
      say(`Auto-layout failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
    } finally {
      setBusy(null);
    }
  };

  const publish = async () => {
    setBusy('publish');
    try {
      await autosave.flush();
      const answer = await api.workflow.publish.mutate({ id: workflow.id });
      setPublished({ version: answer.version, hash: answer.hash, publishedAt: new Date().toISOString() });
      say(
        answer.created
          ? `Published version ${answer.version}.`
          : `Version ${answer.version} already has this design.`,
      );
    } catch (error) {
      say(`Publishing failed: ${describeError(error)}`, 'error');
    } finally {
      setBusy(null);
    }
  };

  const exportJson = async () => {
    try {
      const doc = await api.workflow.export.query({ id: workflow.id });
      downloadJson(`${title}.sluice.json`, doc);
    } catch (error) {
      say(`Export failed: ${describeError(error)}`, 'error');
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || isTyping(event.target)) return;
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (mod && key === 'z' && !event.shiftKey) editor.undo();
    else if (mod && (key === 'y' || (key === 'z' && event.shiftKey))) editor.redo();
    else if (mod && key === 'c') {
      if (editor.copySelection()) say(`Copied ${editor.selection.nodes.size} step(s).`);
    } else if (mod && key === 'v') editor.pasteClipboard();
    else if (mod && key === 'a') editor.select(editor.graph.nodes.map((n) => n.id));
    else if (key === 'delete' || key === 'backspace') editor.deleteSelection();
    else if (key === '?') setHelpOpen((open) => !open);
    else if (key === 'escape') editor.select([]);
    else return;
    event.preventDefault();
  };

  // On the document, not the editor's element: after a deletion the focused node is gone and
  // focus falls back to the body, and undo must still work.
  const keys = useRef(onKeyDown);
  useLayoutEffect(() => {
    keys.current = onKeyDown;
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => keys.current(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  const view = route.view;
  return (
    <div className="sl-editor">
      <title>{`${title} · Sluice`}</title>
      <header className="sl-editor__bar">
        <a className="sl-link" href="#/workflows">
          Workflows
        </a>
        <h1 className="sl-editor__title">{title}</h1>
        <span className="sl-version">{published ? `v${published.version} published` : 'Not published'}</span>
        <SaveStatus state={autosave.state} />
        <nav className="sl-editor__views" aria-label="Workflow views">
          <a href={workflowHref(workflow.id)} aria-current={view === 'editor' ? 'page' : undefined}>
            Canvas
          </a>
          <a
            href={workflowHref(workflow.id, 'ownership')}
            aria-current={view === 'ownership' ? 'page' : undefined}
          >
            Ownership
          </a>
          <a
            href={workflowHref(workflow.id, 'versions')}
            aria-current={view === 'versions' || view === 'diff' ? 'page' : undefined}
          >
            Versions
          </a>
        </nav>
        <div className="sl-editor__actions" role="toolbar" aria-label="Editor actions">
          <button
            type="button"
            className="sl-button"
            onClick={editor.undo}
            disabled={!editor.canUndo}
            aria-keyshortcuts="Control+Z"
          >
            Undo
          </button>
          <button
            type="button"
            className="sl-button"
            onClick={editor.redo}
            disabled={!editor.canRedo}
            aria-keyshortcuts="Control+Shift+Z"
          >
            Redo
          </button>
          <button
            type="button"
            className="sl-button"
            onClick={() => void autoLayout()}
            disabled={busy !== null}
          >
            {busy === 'layout' ? 'Laying out…' : 'Auto-layout'}
          </button>
          <button type="button" className="sl-button" onClick={() => void exportJson()}>
            Export JSON
          </button>
          <button
            type="button"
            className="sl-button"
            onClick={() => setHelpOpen((o) => !o)}
            aria-expanded={helpOpen}
          >
            Shortcuts
          </button>
          <button
            type="button"
            className="sl-button sl-button--primary"
            onClick={() => void publish()}
            disabled={errors > 0 || editor.compilePending || busy !== null}
            aria-describedby="publish-why"
          >
            {busy === 'publish' ? 'Publishing…' : 'Publish'}
          </button>
          <span id="publish-why" className="sl-visually-hidden">
            {errors > 0
              ? `Fix ${errors} error(s) before publishing.`
              : editor.compilePending
                ? 'Checking the design…'
                : 'Creates an immutable version.'}
          </span>
        </div>
      </header>
      {message && (
        <div
          className="sl-editor__message"
          data-tone={message.tone}
          role={message.tone === 'error' ? 'alert' : 'status'}
        >
          <span>{message.text}</span>
          <button
            type="button"
            className="sl-button sl-button--quiet"
            onClick={() => setMessage(null)}
            aria-label="Dismiss message"
          >
            ×
          </button>
        </div>
      )}
      {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
      {view === 'editor' && (
        <div className="sl-editor__body">
          <Palette onAdd={addAtCentre} />
          <EditorCanvas editor={editor} title={title} onRefused={refused} onNodeAdded={added} />
          <aside className="sl-editor__side">
            <Inspector editor={editor} />
            <ProblemsPanel
              graph={editor.graph}
              result={editor.result}
              select={editor.select}
              focusField={editor.focusField}
              edit={editor.edit}
              onFixed={say}
            />
          </aside>
        </div>
      )}
      {view === 'ownership' && (
        <section className="sl-editor__page" aria-label="Ownership map">
          <h2 className="sl-panel__title">Ownership map</h2>
          <OwnershipMap rows={editor.result.ownership} />
        </section>
      )}
      {view === 'versions' && (
        <section className="sl-editor__page" aria-label="Versions">
          <h2 className="sl-panel__title">Versions</h2>
          <VersionsList workflowId={workflow.id} />
        </section>
      )}
      {view === 'diff' && route.diff && (
        <div className="sl-editor__page">
          <DiffView workflowId={workflow.id} from={route.diff.from} to={route.diff.to} />
        </div>
      )}
    </div>
  );
}

/** The first place near `start` where a new step overlaps no other: to the right, then below. */
export function freeSpot(graph: EditorGraph, start: { x: number; y: number }): { x: number; y: number } {
  const taken = (p: { x: number; y: number }) =>
    graph.nodes.some((n) => Math.abs(n.position.x - p.x) < 270 && Math.abs(n.position.y - p.y) < 170);
  for (let i = 0; i < 400; i += 1) {
    const p = { x: start.x + (i % 4) * 290, y: start.y + Math.floor(i / 4) * 190 };
    if (!taken(p)) return p;
  }
  return start;
}

/** Offers `value` as a JSON file download (a Blob URL: no data: URL, nothing inline). */
export function downloadJson(filename: string, value: unknown): void {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename.replace(/[^\w .-]/g, '_');
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Loads one workflow and opens its draft in the editor. */
export function EditorPage({ id, route }: { id: string; route: Route }) {
  const load = useCallback((signal: AbortSignal) => api.workflow.get.query({ id }, { signal }), [id]);
  const detail = useQuery<WorkflowDetail>(`workflow.get:${id}`, load);
  if (detail.status === 'loading') return <StatusPane tone="loading" title="Opening the editor…" />;
  if (detail.status === 'error')
    return (
      <StatusPane
        tone="error"
        title="Could not open this workflow"
        action={<RetryButton onRetry={detail.retry} />}
      >
        {detail.message}
      </StatusPane>
    );
  return (
    <ReactFlowProvider>
      <EditorWorkspace key={id} workflow={detail.data} route={route} />
    </ReactFlowProvider>
  );
}
