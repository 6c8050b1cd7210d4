// Handoff inspection at run time (DESIGN §3): when data crosses an owner or trust boundary (an agent
// hands to a person, a person to an agent, one team to another, or data leaves for an external
// service), the actual payload is scanned with the validator's detectors and compared with what the
// spec declares. Every such crossing is recorded ('handoff.inspected': labels, the payload's hash and
// where the detectors matched, never what); the receiving step fails (HANDOFF_BLOCKED) when the data
// is above its clearance. The clearance is derived here from the node's kind and config, not taken
// from the spec's word alone, so a spec edited to hide a flow is still caught by what the data holds.
import { GateConfig, getKind, registry } from '@sluice/nodes';
import { scanPayload } from '@sluice/nodes/server';
import {
  canFlow,
  type Classification,
  CompilePolicy,
  compile,
  type ErrorInfo,
  joinClassification,
  meetClassification,
  type RunEventDraft,
  specToGraph,
} from '@sluice/spec';
import { contentHash } from '../ids.js';
import type { ExecutionPlan, PlanEdge, PlanNode } from '../plan.js';

export type Boundary = 'agent-to-human' | 'human-to-agent' | 'team-to-team' | 'egress';

const AGENT_KINDS = new Set(['ai']);
const HUMAN_KINDS = new Set(['human', 'gate']);
/** What each detector's match says about the data it is in. */
const DETECTOR_LABEL: Readonly<Record<string, Classification>> = {
  email: 'confidential',
  phone: 'confidential',
  ip_address: 'confidential',
  address: 'confidential',
  credit_card: 'restricted',
  iban: 'restricted',
  ssn: 'restricted',
  national_id: 'restricted',
  api_key: 'restricted',
};
const MAX_RECORDED_FINDINGS = 100;
const defaultPolicy = CompilePolicy.parse({});

interface InspectedEdge {
  edge: PlanEdge;
  boundaries: Boundary[];
  clearance: Classification;
}

interface PlanHandoffs {
  /** Boundary-crossing incoming edges per receiving node (absent: nothing to inspect). */
  byNode: Map<string, InspectedEdge[]>;
  /** The compiler's labels per node output port, computed on first need. */
  declared?: Record<string, Record<string, Classification>>;
}

const cache = new WeakMap<ExecutionPlan, PlanHandoffs>();

function ownerOf(plan: ExecutionPlan, id: string): string | undefined {
  return id === plan.spec.trigger.id ? plan.spec.trigger.owner : plan.spec.nodes[id]?.owner;
}

/** Whether data leaves the trust boundary at `node`; a config that cannot be read counts as leaving. */
function isEgress(node: PlanNode): boolean {
  const definition = getKind(node.kind);
  if (!definition) return true;
  try {
    return definition.classification.egress(node.config, defaultPolicy);
  } catch {
    return true;
  }
}

/** The highest label `node` may receive: an egress node never more than the external clearance. */
export function clearanceOf(
  plan: ExecutionPlan,
  node: PlanNode,
): { clearance: Classification; egress: boolean } {
  const declared = plan.spec.nodes[node.id]?.clearance;
  const egress = isEgress(node);
  if (!egress) return { clearance: declared ?? 'restricted', egress };
  const external = defaultPolicy.externalClearance;
  return { clearance: declared ? meetClassification(declared, external) : external, egress };
}

function analyse(plan: ExecutionPlan): PlanHandoffs {
  const byNode = new Map<string, InspectedEdge[]>();
  for (const node of plan.order) {
    const { clearance, egress } = clearanceOf(plan, node);
    const inspected: InspectedEdge[] = [];
    for (const edge of node.incoming) {
      const from = plan.nodes.get(edge.from);
      if (!from) continue;
      const boundaries: Boundary[] = [];
      if (AGENT_KINDS.has(from.kind) && HUMAN_KINDS.has(node.kind)) boundaries.push('agent-to-human');
      if (HUMAN_KINDS.has(from.kind) && AGENT_KINDS.has(node.kind)) boundaries.push('human-to-agent');
      if (ownerOf(plan, from.id) !== ownerOf(plan, node.id)) boundaries.push('team-to-team');
      if (egress) boundaries.push('egress');
      if (boundaries.length > 0) inspected.push({ edge, boundaries, clearance });
    }
    if (inspected.length > 0) byNode.set(node.id, inspected);
  }
  return { byNode };
}

function declaredLabels(
  plan: ExecutionPlan,
  handoffs: PlanHandoffs,
): Record<string, Record<string, Classification>> {
  if (!handoffs.declared) {
    const declared: Record<string, Record<string, Classification>> = {};
    try {
      const result = compile(specToGraph(plan.spec), registry);
      for (const [id, analysis] of Object.entries(result.analysis))
        declared[id] = analysis.classification.outputs;
    } catch {
      // A spec the compiler cannot analyse declares nothing: the scan alone decides.
    }
    handoffs.declared = declared;
  }
  return handoffs.declared;
}

/** What the payload actually holds, by the detectors' matches. */
export function observedLabel(matches: readonly { detector: string }[]): Classification {
  let label: Classification = 'public';
  for (const m of matches) label = joinClassification(label, DETECTOR_LABEL[m.detector] ?? 'confidential');
  return label;
}

export interface HandoffVerdict {
  events: RunEventDraft[];
  /** Set when data above the receiver's clearance would cross: the receiving step fails with it. */
  blocked?: ErrorInfo;
}

const NOTHING: HandoffVerdict = { events: [] };

/**
 * Inspects the payloads arriving at `node` on boundary-crossing edges (`sources[i]` carried
 * `payloads[i]`). Cheap when no incoming edge crosses a boundary (the analysis is per version).
 *
 * @example
 * const verdict = inspectHandoffs(plan, node, sources, inputs);
 * if (verdict.blocked) transition.fail(node, 1, verdict.blocked, false, inputs);
 */
export function inspectHandoffs(
  plan: ExecutionPlan,
  node: PlanNode,
  sources: readonly PlanEdge[],
  payloads: readonly unknown[],
): HandoffVerdict {
  let handoffs = cache.get(plan);
  if (!handoffs) {
    handoffs = analyse(plan);
    cache.set(plan, handoffs);
  }
  const inspected = handoffs.byNode.get(node.id);
  if (!inspected) return NOTHING;
  const events: RunEventDraft[] = [];
  let blocked: ErrorInfo | undefined;
  sources.forEach((edge, i) => {
    const crossing = inspected.find((c) => c.edge === edge);
    if (!crossing) return;
    const payload = payloads[i] ?? null;
    let matches: { detector: string; path: string }[];
    try {
      matches = scanPayload(payload);
    } catch {
      // A payload too deep to scan cannot be shown to be clean.
      matches = [{ detector: 'unscannable', path: '' }];
    }
    const from = plan.nodes.get(edge.from);
    let observed = observedLabel(matches);
    // A gate that declassifies hands on data a person approved at the lower label.
    const declassifyTo = from?.kind === 'gate' ? declassifiedTo(from.config) : undefined;
    if (declassifyTo && edge.fromPort === 'approved') observed = meetClassification(observed, declassifyTo);
    const declared = declaredLabels(plan, handoffs)[edge.from]?.[edge.fromPort] ?? 'public';
    const stop = !canFlow(observed, crossing.clearance);
    events.push({
      type: 'handoff.inspected',
      payload: {
        from: edge.from,
        to: node.id,
        boundaries: crossing.boundaries,
        declared,
        observed,
        clearance: crossing.clearance,
        payloadHash: contentHash(payload),
        findings: matches
          .slice(0, MAX_RECORDED_FINDINGS)
          .map((m) => ({ detector: m.detector, path: m.path })),
        blocked: stop,
      },
    });
    if (stop && !blocked) {
      const kinds = [...new Set(matches.map((m) => m.detector))].join(', ');
      blocked = {
        code: 'HANDOFF_BLOCKED',
        message:
          `the data from "${edge.from}" holds ${observed} data (${kinds}) and "${node.id}" is cleared for ` +
          `${crossing.clearance} only: redact it with a validator or have a gate declassify it first`,
      };
    }
  });
  return blocked ? { events, blocked } : { events };
}

/** The label a gate declassifies to; none when the gate could pass data on without a person (auto). */
function declassifiedTo(config: unknown): Classification | undefined {
  const parsed = GateConfig.safeParse(config);
  if (!parsed.success) return undefined;
  const { tiers, defaultTier, declassifyTo: value } = parsed.data;
  if (defaultTier === 'auto' || tiers.some((t) => t.tier === 'auto')) return undefined;
  return value === 'public' || value === 'internal' || value === 'confidential' || value === 'restricted'
    ? value
    : undefined;
}
