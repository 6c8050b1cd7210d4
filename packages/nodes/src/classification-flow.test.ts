import { compile, EditorGraph, type GraphNode } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { loadFixtures } from '../test/fixtures.js';
import { registry } from './registry.js';

function sensitiveToExternal(): EditorGraph {
  const fixture = loadFixtures('invalid').find((f) => f.name === 'sensitive-to-external-model');
  if (!fixture) throw new Error('fixture missing');
  return EditorGraph.parse(fixture.graph);
}

/** Inserts `node` on the edge into `target`. */
function insertBefore(graph: EditorGraph, target: string, node: GraphNode, outPort = 'out'): EditorGraph {
  const edges = graph.edges.flatMap((e) =>
    e.target === target
      ? [
          { ...e, id: `${e.id}/a`, target: node.id, targetHandle: 'in' },
          { id: `${node.id}->${target}`, source: node.id, sourceHandle: outPort, target, targetHandle: 'in' },
        ]
      : [e],
  );
  return { ...graph, nodes: [...graph.nodes, node], edges };
}

const base = { typeVersion: 1, owner: 'security', position: { x: 0, y: 100 } };

describe('classification flow', () => {
  test('confidential data flowing into an external model is flagged on the edge', () => {
    const result = compile(sensitiveToExternal(), registry);
    const flagged = result.diagnostics.filter((d) => d.code === 'SL501');
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({ edgeId: 'start.out->classify.in', nodeId: 'classify' });
    expect(flagged[0]?.message).toMatch(/confidential.*public/);
    expect(flagged[0]?.hint).toMatch(/redact|declassif/);
    expect(result.analysis.classify?.classification).toMatchObject({
      input: 'confidential',
      clearance: 'public',
      egress: true,
    });
  });

  test('a redacting validator in between satisfies it', () => {
    const redactor: GraphNode = {
      ...base,
      id: 'redact',
      kind: 'validator',
      label: 'Redact PII',
      config: { detectors: ['email', 'phone'], onFailure: 'redact', guarantees: 'public' },
    };
    const result = compile(insertBefore(sensitiveToExternal(), 'classify', redactor), registry);
    expect(result.diagnostics).toEqual([]);
    expect(result.analysis.classify?.classification.input).toBe('public');
  });

  test('a gate that declassifies on approval satisfies it', () => {
    const gate: GraphNode = {
      ...base,
      id: 'release',
      kind: 'gate',
      label: 'Release to vendor',
      config: { defaultTier: 'review', approvers: { roles: ['reviewer'] }, declassifyTo: 'public' },
    };
    const result = compile(insertBefore(sensitiveToExternal(), 'classify', gate, 'approved'), registry);
    expect(result.diagnostics).toEqual([]);
    expect(result.analysis.release?.classification.outputs).toEqual({
      approved: 'public',
      rejected: 'confidential',
    });
  });

  test('a flagging validator does not lower the label', () => {
    const flagger: GraphNode = {
      ...base,
      id: 'scan',
      kind: 'validator',
      label: 'Scan',
      config: { detectors: ['email'], onFailure: 'flag' },
    };
    const result = compile(insertBefore(sensitiveToExternal(), 'classify', flagger), registry);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['SL501']);
  });

  test('a workspace that raises external clearance still needs a gate for confidential data', () => {
    const policy = { externalClearance: 'confidential' as const };
    expect(compile(sensitiveToExternal(), registry, { policy }).diagnostics.map((d) => d.code)).toEqual([
      'SL602',
    ]);
    const gate: GraphNode = {
      ...base,
      id: 'review',
      kind: 'gate',
      label: 'Review',
      config: { defaultTier: 'review' },
    };
    const gated = insertBefore(sensitiveToExternal(), 'classify', gate, 'approved');
    expect(compile(gated, registry, { policy }).diagnostics).toEqual([]);
  });
});
