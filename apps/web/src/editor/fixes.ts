// "Fix" actions for the diagnostics that have a mechanical remedy: insert a redactor or a gate in
// front of data that may not go where it goes, give a stage its owner, add the missing output.
import type { CompileResult, Diagnostic } from '@sluice/spec';
import type { EditorGraph } from '../api/contract';
import { addNode, connect, insertOnEdge, newNode, updateNode } from './graph-ops';

/** One fix: what the button says, and the edit (null when it no longer applies). */
export interface Fix {
  label: string;
  apply: (graph: EditorGraph) => { graph: EditorGraph; select?: string } | null;
}

const REDACT_DETECTORS = ['email', 'phone', 'credit_card', 'iban', 'ssn', 'api_key'];

/** The wire into node `nodeId` (the one named by the diagnostic, else the first). */
function incomingEdge(graph: EditorGraph, d: Diagnostic): string | undefined {
  if (d.edgeId && graph.edges.some((e) => e.id === d.edgeId)) return d.edgeId;
  return graph.edges.find((e) => e.target === d.nodeId)?.id;
}

function insertRedactor(d: Diagnostic, clearance: string): Fix {
  return {
    label: `Insert a redactor (guarantees ${clearance})`,
    apply: (graph) => {
      const edge = incomingEdge(graph, d);
      if (!edge) return null;
      const done = insertOnEdge(
        graph,
        edge,
        'validator',
        { detectors: REDACT_DETECTORS, onFailure: 'redact', guarantees: clearance },
        'Redact sensitive data',
      );
      return done && { graph: done.graph, select: done.nodeId };
    },
  };
}

function insertGate(d: Diagnostic, declassifyTo?: string): Fix {
  return {
    label: 'Insert an approval gate',
    apply: (graph) => {
      const edge = incomingEdge(graph, d);
      if (!edge) return null;
      const config: Record<string, unknown> = { defaultTier: 'review' };
      if (declassifyTo) config.declassifyTo = declassifyTo;
      const done = insertOnEdge(graph, edge, 'gate', config, 'Approve release');
      return done && { graph: done.graph, select: done.nodeId };
    },
  };
}

/**
 * The fixes a diagnostic offers (none for most).
 *
 * @example
 * fixesFor(diagnostic, result.analysis)[0]?.apply(graph)
 */
export function fixesFor(d: Diagnostic, analysis: CompileResult['analysis']): Fix[] {
  switch (d.code) {
    case 'SL501': {
      const clearance = (d.nodeId && analysis[d.nodeId]?.classification.clearance) || 'public';
      return [insertRedactor(d, clearance), insertGate(d, clearance)];
    }
    case 'SL602':
      return [insertGate(d)];
    case 'SL601':
      return [
        {
          label: 'Use the workflow’s owner team',
          apply: (graph) =>
            d.nodeId
              ? {
                  graph: updateNode(graph, d.nodeId, (n) => ({ ...n, owner: graph.metadata.ownerTeam })),
                  select: d.nodeId,
                }
              : null,
        },
      ];
    case 'SL109':
      return [
        {
          label: 'Add an output',
          apply: (graph) => {
            const right = Math.max(0, ...graph.nodes.map((n) => n.position.x)) + 320;
            const output = newNode(graph, 'output', { x: right, y: 0 });
            let next = addNode(graph, output);
            const ends = graph.nodes.filter(
              (n) => n.kind !== 'output' && !graph.edges.some((e) => e.source === n.id),
            );
            const last = ends.at(-1);
            if (last && last.kind !== 'gate')
              next = connect(next, {
                source: last.id,
                sourceHandle: 'out',
                target: output.id,
                targetHandle: 'in',
              });
            return { graph: next, select: output.id };
          },
        },
      ];
    default:
      return [];
  }
}
