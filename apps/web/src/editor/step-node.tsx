// One step on the editor canvas: kind, label, owner, classification, a handle per declared port, and
// its problems (badge and outline). Memoised; React Flow re-renders it only when its data changes.
// Zoomed far out (below FAR_ZOOM) where its text could not be read, a step draws only its label, its
// outline and its handles: a few elements instead of a few dozen, for a canvas of 1,000 steps.
import { Handle, Position, useStore } from '@xyflow/react';
import type { Node, NodeProps, ReactFlowState } from '@xyflow/react';
import type { Port } from '@sluice/spec';
import { memo } from 'react';
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
  const far = useStore(isFar);
  const rows = Math.max(data.inputs.length, data.outputs.length);
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
    >
      {far ? (
        <div className="sl-node__body">
          <div className="sl-node__label">{node.label}</div>
        </div>
      ) : (
        <StepDetail data={data} />
      )}
      {rows > 0 && (
        <div className="sl-node__ports">
          {Array.from({ length: rows }, (_, row) => {
            const input = data.inputs[row];
            const output = data.outputs[row];
            return (
              <div className="sl-node__port-row" key={row}>
                {input !== undefined && (
                  <>
                    <Handle
                      type="target"
                      position={Position.Left}
                      id={input.name}
                      isConnectable={!data.readOnly}
                      aria-label={handleName('input', input.name, node.kind, node.label)}
                    />
                    {!far && (
                      <span className="sl-node__port sl-node__port--in" aria-hidden="true">
                        {input.name}
                      </span>
                    )}
                  </>
                )}
                {output !== undefined && (
                  <>
                    {!far && (
                      <span className="sl-node__port sl-node__port--out" aria-hidden="true">
                        {output.name}
                      </span>
                    )}
                    <Handle
                      type="source"
                      position={Position.Right}
                      id={output.name}
                      isConnectable={!data.readOnly}
                      aria-label={handleName('output', output.name, node.kind, node.label)}
                    />
                  </>
                )}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

/** The step's head and body at a readable zoom: kind, problems, classification, label and owner. */
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
    </>
  );
}

/** The memoised step component; register it in a module-scope `nodeTypes`. */
export const StepNode = memo(StepNodeView);
