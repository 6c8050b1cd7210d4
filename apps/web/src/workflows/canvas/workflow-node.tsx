import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { ClassificationChip } from '../../ui/classification-chip';
import { KindIcon, kindTitle } from './kind-icon';
import { nodeName, portName } from './to-flow';
import type { WorkflowFlowNode } from './to-flow';

/**
 * One workflow step on the canvas: its kind, label, owner and classification, with a row
 * per port. Labels come from users and are rendered as text only.
 */
function WorkflowNodeView({ id, data }: NodeProps<WorkflowFlowNode>) {
  const rows = Math.max(data.inputs.length, data.outputs.length);
  return (
    <div
      className="sl-node"
      data-kind={data.kind}
      data-testid={`node-${id}`}
      role="group"
      aria-label={nodeName(data.kind, data.label)}
    >
      <div className="sl-node__head">
        <span className="sl-node__kind">
          <span className="sl-node__kind-tile">
            <KindIcon kind={data.kind} />
          </span>
          <span className="sl-node__kind-name">{kindTitle(data.kind)}</span>
        </span>
        <ClassificationChip level={data.classification} />
      </div>
      <div className="sl-node__body">
        <div className="sl-node__label">{data.label}</div>
        <div className="sl-node__owner">
          <span className="sl-node__owner-key">Owner</span> {data.owner}
        </div>
      </div>
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
                      id={input}
                      isConnectable={false}
                      role="img"
                      aria-label={portName('input', input, data.kind, data.label)}
                    />
                    <span className="sl-node__port sl-node__port--in" aria-hidden="true">
                      {input}
                    </span>
                  </>
                )}
                {output !== undefined && (
                  <>
                    <span className="sl-node__port sl-node__port--out" aria-hidden="true">
                      {output}
                    </span>
                    <Handle
                      type="source"
                      position={Position.Right}
                      id={output}
                      isConnectable={false}
                      role="img"
                      aria-label={portName('output', output, data.kind, data.label)}
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

export const WorkflowNode = memo(WorkflowNodeView);
