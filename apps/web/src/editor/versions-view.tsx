// Published versions of a workflow, and the visual diff of two of them (or of one and the draft) on
// a read-only canvas: added, removed and changed nodes marked.
import { Controls, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { CanvasDots } from '../workflows/canvas/canvas-dots';
import type { NodeTypes } from '@xyflow/react';
import { useCallback, useMemo, useState } from 'react';
import { api } from '../api/client';
import type { EditorGraph, RouterOutputs } from '../api/contract';
import { useQuery } from '../api/use-query';
import { fullDate, shortHash } from '../format';
import { RetryButton, StatusPane } from '../ui/status';
import { diffHref } from '../use-hash-route';
import { type DiffMark, FarZoom, StepNode, type StepFlowNode } from './step-node';
import { createStepMapper, type StepFlowEdge } from './to-step-flow';

const nodeTypes = { step: StepNode } satisfies NodeTypes;
type Versions = RouterOutputs['workflow']['versions'];
type GraphDiff = RouterOutputs['workflow']['diff'];

/** The list of published versions with a picker for what to compare. */
export function VersionsList({ workflowId }: { workflowId: string }) {
  const load = useCallback(
    (signal: AbortSignal) => api.workflow.versions.query({ id: workflowId }, { signal }),
    [workflowId],
  );
  const versions = useQuery<Versions>(`workflow.versions:${workflowId}`, load);
  const [from, setFrom] = useState<string>('');
  const [to, setTo] = useState<string>('draft');
  if (versions.status === 'loading') return <StatusPane tone="loading" title="Loading versions…" />;
  if (versions.status === 'error')
    return (
      <StatusPane
        tone="error"
        title="Could not load versions"
        action={<RetryButton onRetry={versions.retry} />}
      >
        {versions.message}
      </StatusPane>
    );
  if (versions.data.length === 0)
    return (
      <StatusPane tone="empty" title="Nothing published yet">
        Publish the draft to create version 1.
      </StatusPane>
    );
  const fromValue = from || String(versions.data[0]?.version ?? 1);
  return (
    <div className="sl-versions">
      <table className="sl-table">
        <caption className="sl-visually-hidden">Published versions</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Hash</th>
            <th scope="col">Published</th>
            <th scope="col">By</th>
            <th scope="col">Compare</th>
          </tr>
        </thead>
        <tbody>
          {versions.data.map((v) => (
            <tr key={v.id}>
              <th scope="row">v{v.version}</th>
              <td>
                <code title={v.hash}>{shortHash(v.hash)}</code>
              </td>
              <td>
                <time dateTime={v.createdAt}>{fullDate(v.createdAt)}</time>
              </td>
              <td>{v.publishedBy.name}</td>
              <td>
                <a className="sl-link" href={diffHref(workflowId, v.version, 'draft')}>
                  v{v.version} → draft
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="sl-versions__compare"
        aria-label="Compare versions"
        onSubmit={(e) => {
          e.preventDefault();
          window.location.hash = diffHref(
            workflowId,
            Number(fromValue),
            to === 'draft' ? 'draft' : Number(to),
          );
        }}
      >
        <label className="sl-field__label" htmlFor="diff-from">
          From
        </label>
        <select
          id="diff-from"
          className="sl-field__input"
          value={fromValue}
          onChange={(e) => setFrom(e.target.value)}
        >
          {versions.data.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version}
            </option>
          ))}
        </select>
        <label className="sl-field__label" htmlFor="diff-to">
          To
        </label>
        <select id="diff-to" className="sl-field__input" value={to} onChange={(e) => setTo(e.target.value)}>
          <option value="draft">Draft</option>
          {versions.data.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version}
            </option>
          ))}
        </select>
        <button type="submit" className="sl-button">
          Show differences
        </button>
      </form>
    </div>
  );
}

async function graphOf(id: string, version: number | 'draft', signal: AbortSignal): Promise<EditorGraph> {
  const doc = await api.workflow.export.query(version === 'draft' ? { id } : { id, version }, { signal });
  return doc.graph;
}

/** Both graphs drawn as one: the newer graph, plus what the older one had and the newer lost. */
export function mergeForDiff(before: EditorGraph, after: EditorGraph, diff: GraphDiff) {
  const marks = new Map<string, DiffMark>();
  for (const id of diff.nodes.added) marks.set(id, 'added');
  for (const id of diff.nodes.removed) marks.set(id, 'removed');
  for (const change of diff.nodes.changed)
    if (change.fields.some((f) => f !== 'position')) marks.set(change.id, 'changed');
  for (const id of diff.edges.added) marks.set(`edge:${id}`, 'added');
  for (const id of diff.edges.removed) marks.set(`edge:${id}`, 'removed');
  const removedNodes = before.nodes.filter((n) => diff.nodes.removed.includes(n.id));
  const removedEdges = before.edges.filter((e) => diff.edges.removed.includes(e.id));
  const graph: EditorGraph = {
    ...after,
    nodes: [...after.nodes, ...removedNodes],
    edges: [...after.edges, ...removedEdges],
  };
  return { graph, marks };
}

function DiffCanvas({
  graph,
  marks,
  title,
}: {
  graph: EditorGraph;
  marks: Map<string, DiffMark>;
  title: string;
}) {
  const mapper = useMemo(() => createStepMapper(), []);
  const { nodes, edges } = useMemo(
    () =>
      mapper(graph, null, {
        selectedNodes: new Set(),
        selectedEdges: new Set(),
        diff: marks,
        readOnly: true,
      }),
    [mapper, graph, marks],
  );
  return (
    <div className="sl-canvas sl-diff__canvas">
      <ReactFlow<StepFlowNode, StepFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        deleteKeyCode={null}
        colorMode="system"
        minZoom={0.05}
        aria-label={title}
      >
        <CanvasDots gap={16} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

/** The visual diff of `from` and `to` of one workflow. */
export function DiffView({
  workflowId,
  from,
  to,
}: {
  workflowId: string;
  from: number;
  to: number | 'draft';
}) {
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [before, after, diff] = await Promise.all([
        graphOf(workflowId, from, signal),
        graphOf(workflowId, to, signal),
        api.workflow.diff.query({ id: workflowId, from, to }, { signal }),
      ]);
      return { ...mergeForDiff(before, after, diff), diff };
    },
    [workflowId, from, to],
  );
  const state = useQuery(`workflow.diff:${workflowId}:${from}:${to}`, load);
  const title = `Changes from v${from} to ${to === 'draft' ? 'the draft' : `v${to}`}`;
  if (state.status === 'loading') return <StatusPane tone="loading" title="Comparing…" />;
  if (state.status === 'error')
    return (
      <StatusPane tone="error" title="Could not compare" action={<RetryButton onRetry={state.retry} />}>
        {state.message}
      </StatusPane>
    );
  const { diff } = state.data;
  const changed = diff.nodes.changed.filter((c) => c.fields.some((f) => f !== 'position'));
  return (
    <section className="sl-diff" aria-label={title}>
      <h2 className="sl-panel__title">{title}</h2>
      <p className="sl-diff__summary" role="status">
        {diff.nodes.added.length} added, {diff.nodes.removed.length} removed, {changed.length} changed
        {diff.workflow.length > 0 ? `; workflow settings: ${diff.workflow.join(', ')}` : ''}
      </p>
      <ReactFlowProvider>
        <FarZoom>
          <DiffCanvas graph={state.data.graph} marks={state.data.marks} title={title} />
        </FarZoom>
      </ReactFlowProvider>
    </section>
  );
}
