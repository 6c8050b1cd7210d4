// One step on the editor canvas: kind, label, owner, classification, a handle per declared port, and
// its problems (badge and outline). Memoised; React Flow re-renders it only when its data changes.
// Zoomed far out (below FAR_ZOOM) where its text could not be read, a step draws only its label, its
// outline and its handles: three elements and its handles, for a canvas of 1,000 steps. Whether the
// canvas is zoomed far out comes from one store subscription (`FarZoom`), not one per step: React
// Flow calls every subscriber on every store update, i.e. on every frame of a drag.
import { Handle, Position, useStore, useStoreApi } from '@xyflow/react';
import type { Node, NodeProps, ReactFlowState } from '@xyflow/react';
import type { Port } from '@sluice/spec';
import { type ReactNode, createContext, memo, useCallback, useContext, useState } from 'react';
import type { GraphNode } from '../api/contract';
import { ClassificationChip } from '../ui/classification-chip';
import { KindIcon, kindTitle } from '../workflows/canvas/kind-icon';
import type { ClassificationLevel } from '../workflows/canvas/to-flow';

/** How a node differs between two versions, in the diff view. */
export type DiffMark = 'added' | 'removed' | 'changed' | 'same';

/** What the step component draws. A type alias, so it satisfies React Flow's `Record<string, unknown>`. */
export type StepData = {
  node: GraphNode;
  inputs: Port[];
  outputs: Port[];
  classification: ClassificationLevel;
  errors: number;
  warnings: number;
  /** The first problem's message, for the badge's accessible name. */
  problem?: string;
  diff?: DiffMark;
  readOnly?: boolean;
};

export type StepFlowNode = Node<StepData, 'step'>;

/** Below this zoom a step is drawn as its label, outline and handles only. */
export const FAR_ZOOM = 0.35;

const isFar = (s: ReactFlowState) => s.transform[2] < FAR_ZOOM;

const FarZoomContext = createContext(false);

/**
 * Tells the steps under it whether the enclosing React Flow is zoomed out below FAR_ZOOM. Wrap the
 * `<ReactFlow>` (inside its `ReactFlowProvider`); steps outside it are drawn in full.
 */
export function FarZoom({ children }: { children: ReactNode }) {
  const far = useStore(isFar);
  return <FarZoomContext value={far}>{children}</FarZoomContext>;
}

/** The height over which a far step spreads the handles of one side (see `.sl-step--far`). */
export const FAR_HANDLE_SPAN = 80;
const HANDLE_SIZE = 10;

/**
 * The top margin of the handle of port `row` of `rows` on a far step: the handles of one side are
 * floats stacked top to bottom, spread evenly over FAR_HANDLE_SPAN (each centred in its share).
 * Floats, not absolutely placed handles: each positioned element is a paint layer of its own, which
 * the browser must sort and layerize on every frame; on 1,000 steps that was half of a drag frame.
 */
export function farHandleMargin(row: number, rows: number): number {
  const share = FAR_HANDLE_SPAN / rows;
  return Math.max(0, row === 0 ? share / 2 - HANDLE_SIZE / 2 : share - HANDLE_SIZE);
}

/** The accessible name of a node, e.g. `gate node Refund`. */
export function stepName(kind: string, label: string): string {
  return `${kind} node ${label}`;
}

/** The accessible name of a port handle, e.g. `output port approved of gate Refund`. */
export function handleName(direction: 'input' | 'output', port: string, kind: string, label: string): string {
  return `${direction} port ${port} of ${kind} ${label}`;
}

function ProblemBadge({ errors, warnings, problem }: Pick<StepData, 'errors' | 'warnings' | 'problem'>) {
  if (errors === 0 && warnings === 0) return null;
  const tone = errors > 0 ? 'error' : 'warning';
  const count = errors > 0 ? errors : warnings;
  const words = `${count} ${tone}${count === 1 ? '' : 's'}`;
  return (
    <span className="sl-step__badge" data-tone={tone} title={problem}>
      <span aria-hidden="true">{count}</span>
      <span className="sl-visually-hidden">{words}</span>
    </span>
  );
}

function StepNodeView({ id, data, selected }: NodeProps<StepFlowNode>) {
  const { node } = data;
  const far = useContext(FarZoomContext);
  const store = useStoreApi();
  // Far out, a step under the pointer gets React Flow's own handles (to start a wire from); the others
  // keep light ones (see LightHandle).
  const [hovered, setHovered] = useState(false);
  const onPointerEnter = useCallback(() => setHovered(true), []);
  const onPointerLeave = useCallback(() => {
    // A wire being drawn from this step keeps the handle it started from.
    if (!store.getState().connection.inProgress) setHovered(false);
  }, [store]);
  const state = data.errors > 0 ? 'error' : data.warnings > 0 ? 'warning' : 'ok';
  const problems = data.errors > 0 || data.warnings > 0;
  return (
    <div
      className={far ? 'sl-node sl-step sl-step--far' : 'sl-node sl-step'}
      data-kind={node.kind}
      data-state={state}
      data-diff={data.diff}
      data-selected={selected || undefined}
      data-testid={`node-${id}`}
      role="group"
      aria-label={stepName(node.kind, node.label)}
      title={far && problems ? data.problem : undefined}
      onPointerEnter={far ? onPointerEnter : undefined}
      onPointerLeave={far ? onPointerLeave : undefined}
    >
      {far ? <FarStep id={id} data={data} live={hovered} /> : <StepDetail data={data} />}
    </div>
  );
}

/** A port's handle; `marginTop` places it on a far step's edge (at a readable zoom it sits in its row). */
function PortHandle({
  direction,
  port,
  data,
  marginTop,
}: {
  direction: 'input' | 'output';
  port: Port;
  data: StepData;
  marginTop?: number;
}) {
  return (
    <Handle
      type={direction === 'input' ? 'target' : 'source'}
      position={direction === 'input' ? Position.Left : Position.Right}
      id={port.name}
      isConnectable={!data.readOnly}
      aria-label={handleName(direction, port.name, data.node.kind, data.node.label)}
      {...(marginTop === undefined ? {} : { style: { marginTop } })}
    />
  );
}

/**
 * A handle drawn as React Flow's Handle draws it (classes and data attributes: React Flow finds the
 * end of a wire by them and measures handles from them), without its store subscription: React Flow
 * calls every subscriber on every store update, and 2,000 handles were a fifth of a drag frame's
 * script. It cannot start a wire; a step swaps its light handles for React Flow's when the pointer
 * enters it, before any press.
 */
function LightHandle({
  nodeId,
  direction,
  port,
  data,
  marginTop,
}: {
  nodeId: string;
  direction: 'input' | 'output';
  port: Port;
  data: StepData;
  marginTop: number;
}) {
  const flowId = useStoreApi().getState().rfId;
  const type = direction === 'input' ? 'target' : 'source';
  const position = direction === 'input' ? Position.Left : Position.Right;
  const connectable = data.readOnly ? '' : ' connectable connectablestart connectableend connectionindicator';
  return (
    <div
      className={`react-flow__handle react-flow__handle-${position} nodrag nopan ${type}${connectable}`}
      data-handleid={port.name}
      data-nodeid={nodeId}
      data-handlepos={position}
      data-id={`${flowId}-${nodeId}-${port.name}-${type}`}
      aria-label={handleName(direction, port.name, data.node.kind, data.node.label)}
      style={{ marginTop }}
    />
  );
}

/**
 * A step far out: its handles, spread along its left and right edges, and its label between them.
 * The handles are React Flow's while `live` (the pointer is on the step), light ones otherwise.
 */
function FarStep({ id, data, live }: { id: string; data: StepData; live: boolean }) {
  const handle = (direction: 'input' | 'output', port: Port, row: number, rows: number) => {
    const marginTop = farHandleMargin(row, rows);
    const key = `${direction}:${port.name}`;
    return live ? (
      <PortHandle key={key} direction={direction} port={port} data={data} marginTop={marginTop} />
    ) : (
      <LightHandle
        key={key}
        nodeId={id}
        direction={direction}
        port={port}
        data={data}
        marginTop={marginTop}
      />
    );
  };
  return (
    <>
      {data.inputs.map((port, row) => handle('input', port, row, data.inputs.length))}
      {data.outputs.map((port, row) => handle('output', port, row, data.outputs.length))}
      <div className="sl-node__label">{data.node.label}</div>
    </>
  );
}

/** A row per port pair: the input's handle and name on the left, the output's on the right. */
function PortRows({ data }: { data: StepData }) {
  const rows = Math.max(data.inputs.length, data.outputs.length);
  if (rows === 0) return null;
  return (
    <div className="sl-node__ports">
      {Array.from({ length: rows }, (_, row) => {
        const input = data.inputs[row];
        const output = data.outputs[row];
        return (
          <div className="sl-node__port-row" key={row}>
            {input !== undefined && (
              <>
                <PortHandle direction="input" port={input} data={data} />
                <span className="sl-node__port sl-node__port--in" aria-hidden="true">
                  {input.name}
                </span>
              </>
            )}
            {output !== undefined && (
              <>
                <span className="sl-node__port sl-node__port--out" aria-hidden="true">
                  {output.name}
                </span>
                <PortHandle direction="output" port={output} data={data} />
              </>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** The step at a readable zoom: kind, problems, classification, label, owner and its port rows. */
function StepDetail({ data }: { data: StepData }) {
  const { node } = data;
  return (
    <>
      <div className="sl-node__head">
        <span className="sl-node__kind">
          <span className="sl-node__kind-tile">
            <KindIcon kind={node.kind} />
          </span>
          <span className="sl-node__kind-name">{kindTitle(node.kind)}</span>
        </span>
        <span className="sl-step__head-end">
          <ProblemBadge errors={data.errors} warnings={data.warnings} problem={data.problem} />
          <ClassificationChip level={data.classification} />
        </span>
      </div>
      <div className="sl-node__body">
        <div className="sl-node__label">{node.label}</div>
        <div className="sl-node__owner">
          <span className="sl-node__owner-key">Owner</span> {node.owner || '—'}
        </div>
        {data.diff && data.diff !== 'same' && <div className="sl-step__diff">{data.diff}</div>}
      </div>
      <PortRows data={data} />
    </>
  );
}

/**
 * Whether a step draws the same: only its id, data and selection reach the DOM. React Flow also passes
 * the node's position and drag state, which change on every frame of a drag but draw nothing here
 * (React Flow moves the node's wrapper itself).
 */
export function sameStep(a: NodeProps<StepFlowNode>, b: NodeProps<StepFlowNode>): boolean {
  return a.id === b.id && a.data === b.data && a.selected === b.selected;
}

/** The memoised step component; register it in a module-scope `nodeTypes`. */
export const StepNode = memo(StepNodeView, sameStep);
