import { ReactFlow } from '@xyflow/react';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EditorGraph } from '../../api/contract';
import { toFlow } from './to-flow';
import { WorkflowNode } from './workflow-node';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const nodeTypes = { workflow: WorkflowNode };
const hostileLabel = '<img src=x onerror=alert(1)>';

const graph: EditorGraph = {
  graphVersion: 1,
  metadata: { name: 'Refunds', description: '', ownerTeam: 'finance' },
  access: { trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] },
  nodes: [
    {
      id: 'start',
      kind: 'trigger',
      typeVersion: 1,
      label: 'Refund requested',
      owner: 'support',
      position: { x: 0, y: 0 },
      config: {},
      classification: 'internal',
    },
    {
      id: 'refund',
      kind: 'gate',
      typeVersion: 1,
      label: hostileLabel,
      owner: 'finance',
      position: { x: 300, y: 0 },
      config: {},
      classification: 'confidential',
    },
    {
      id: 'done',
      kind: 'output',
      typeVersion: 1,
      label: 'Refund issued',
      owner: 'finance',
      position: { x: 600, y: 0 },
      config: {},
    },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'out', target: 'refund', targetHandle: 'in' },
    { id: 'e2', source: 'refund', sourceHandle: 'approved', target: 'done', targetHandle: 'in' },
    { id: 'e3', source: 'refund', sourceHandle: 'rejected', target: 'done', targetHandle: 'in' },
  ],
};

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

function renderGraph(): void {
  const { nodes, edges } = toFlow(graph);
  act(() => {
    root.render(
      <div style={{ width: 1000, height: 600 }}>
        <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} />
      </div>,
    );
  });
}

function byTestId(id: string): HTMLElement {
  const element = container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!element) throw new Error(`no element with data-testid ${id}`);
  return element;
}

describe('WorkflowNode', () => {
  it('carries a test id and an accessible name of kind and label', () => {
    renderGraph();
    const node = byTestId('node-start');
    expect(node.getAttribute('role')).toBe('group');
    expect(node.getAttribute('aria-label')).toBe('trigger node Refund requested');
    expect(node.dataset.kind).toBe('trigger');
  });

  it('renders a label as text, never as HTML', () => {
    renderGraph();
    const node = byTestId('node-refund');
    expect(node.querySelector('img')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(node.querySelector('.sl-node__label')?.textContent).toBe(hostileLabel);
    expect(node.getAttribute('aria-label')).toBe(`gate node ${hostileLabel}`);
  });

  it('shows the kind, the owner and the classification', () => {
    renderGraph();
    const text = byTestId('node-refund').textContent;
    expect(text).toContain('Approval');
    expect(text).toContain('finance');
    expect(text).toContain('confidential');
    expect(byTestId('node-done').querySelector('.sl-chip')?.textContent).toBe('Classification: unclassified');
  });

  it('draws a named handle per port: inputs on the left, outputs on the right', () => {
    renderGraph();
    const handles = [...byTestId('node-refund').querySelectorAll('.react-flow__handle')].map((handle) => ({
      name: handle.getAttribute('aria-label'),
      side: handle.classList.contains('react-flow__handle-left') ? 'left' : 'right',
      id: handle.getAttribute('data-handleid'),
    }));
    expect(handles).toEqual([
      { name: `input port in of gate ${hostileLabel}`, side: 'left', id: 'in' },
      { name: `output port approved of gate ${hostileLabel}`, side: 'right', id: 'approved' },
      { name: `output port rejected of gate ${hostileLabel}`, side: 'right', id: 'rejected' },
    ]);
  });
});
