import { type Diagnostic, diagnostic } from '../diagnostics.js';
import { GRAPH_VERSION, GraphEdge, GraphNode } from '../graph.js';
import { isRecord } from '../guards.js';
import { WorkflowMetadata } from '../metadata.js';
import { Access } from '../roles.js';
import { fastEdge, fastNode } from './fast-parse.js';
import { zodIssuesToDiagnostics } from './zod-issues.js';

/** Bounds on an editor document; past them the compiler refuses rather than slows to a crawl. */
export const GRAPH_LIMITS = { maxNodes: 20_000, maxEdges: 100_000, maxNodeDepth: 48 } as const;

type Parsed<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Parse results per node/edge object: the editor keeps unchanged objects, so they parse once. A
 * one-shot compile passes none (filling weak maps it will never read only costs collection time).
 */
export interface ParseCache {
  nodes: WeakMap<object, Parsed<GraphNode>>;
  edges: WeakMap<object, Parsed<GraphEdge>>;
}

export function createParseCache(): ParseCache {
  return { nodes: new WeakMap(), edges: new WeakMap() };
}

export interface GraphParse {
  metadata?: WorkflowMetadata;
  access?: Access;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Ids of nodes that did not parse: they stay in the graph as opaque nodes, so their edges hold. */
  broken: { id: string; kind: string }[];
  /** The document cannot be read as a graph at all: no further pass runs. */
  fatal: boolean;
  diagnostics: Diagnostic[];
}

/**
 * Reads an editor document that may be anything: what is well-formed is kept, each malformed part
 * becomes a diagnostic (SL001–SL005) and is left out. Never throws.
 */
export function parseGraph(input: unknown, cache: ParseCache | undefined): GraphParse {
  const out: GraphParse = { nodes: [], edges: [], broken: [], fatal: true, diagnostics: [] };
  if (!isRecord(input)) {
    out.diagnostics.push(
      diagnostic('SL001', 'the document is not a JSON object', { hint: 'open a workflow graph file' }),
    );
    return out;
  }
  if (input.graphVersion !== GRAPH_VERSION) {
    const hasVersion = typeof input.graphVersion === 'number';
    out.diagnostics.push(
      diagnostic(
        hasVersion ? 'SL004' : 'SL001',
        hasVersion
          ? `graphVersion ${String(input.graphVersion)} is not supported; this Sluice reads version ${GRAPH_VERSION}`
          : 'the document has no graphVersion: it is not a Sluice editor graph',
        { path: ['graphVersion'] },
      ),
    );
    if (hasVersion) return out;
  }
  out.fatal = false;
  const metadata = WorkflowMetadata.safeParse(input.metadata);
  if (metadata.success) out.metadata = metadata.data;
  else out.diagnostics.push(...zodIssuesToDiagnostics(metadata.error.issues, 'SL001', ['metadata'], {}));
  const access = Access.safeParse(input.access);
  if (access.success) out.access = access.data;
  else out.diagnostics.push(...zodIssuesToDiagnostics(access.error.issues, 'SL001', ['access'], {}));

  const nodes = Array.isArray(input.nodes) ? input.nodes : undefined;
  const edges = Array.isArray(input.edges) ? input.edges : undefined;
  if (!nodes) out.diagnostics.push(diagnostic('SL001', '`nodes` must be a list', { path: ['nodes'] }));
  if (!edges) out.diagnostics.push(diagnostic('SL001', '`edges` must be a list', { path: ['edges'] }));
  if ((nodes?.length ?? 0) > GRAPH_LIMITS.maxNodes || (edges?.length ?? 0) > GRAPH_LIMITS.maxEdges) {
    out.diagnostics.push(
      diagnostic(
        'SL005',
        `the graph has ${nodes?.length ?? 0} nodes and ${edges?.length ?? 0} edges; the limits are ${GRAPH_LIMITS.maxNodes} and ${GRAPH_LIMITS.maxEdges}`,
        { hint: 'split the workflow into subflows' },
      ),
    );
    out.fatal = true;
    return out;
  }
  nodes?.forEach((raw: unknown, index) => {
    const parsed = cache ? parseCached(raw, cache.nodes, () => parseNode(raw, index)) : parseNode(raw, index);
    if (parsed.ok) out.nodes.push(parsed.value);
    else {
      out.diagnostics.push(...parsed.diagnostics);
      const id = idOf(raw);
      const kind = isRecord(raw) && typeof raw.kind === 'string' ? raw.kind : '';
      if (id !== undefined) out.broken.push({ id, kind });
    }
  });
  edges?.forEach((raw: unknown, index) => {
    const parsed = cache ? parseCached(raw, cache.edges, () => parseEdge(raw, index)) : parseEdge(raw, index);
    if (parsed.ok) out.edges.push(parsed.value);
    else out.diagnostics.push(...parsed.diagnostics);
  });
  return out;
}

function parseCached<T>(raw: unknown, cache: WeakMap<object, Parsed<T>>, parse: () => Parsed<T>): Parsed<T> {
  if (typeof raw !== 'object' || raw === null) return parse();
  const hit = cache.get(raw);
  if (hit) return hit;
  const parsed = parse();
  // Only successes are cached: a failure's diagnostics may name the entry's position.
  if (parsed.ok) cache.set(raw, parsed);
  return parsed;
}

function idOf(raw: unknown): string | undefined {
  return isRecord(raw) && typeof raw.id === 'string' && raw.id !== '' ? raw.id : undefined;
}

function parseNode(raw: unknown, index: number): Parsed<GraphNode> {
  const fast = fastNode(raw);
  if (fast && !exceedsDepth(fast.config, GRAPH_LIMITS.maxNodeDepth - 2)) return { ok: true, value: fast };
  const id = idOf(raw);
  const where = id !== undefined ? { nodeId: id } : {};
  if (exceedsDepth(raw, GRAPH_LIMITS.maxNodeDepth)) {
    return {
      ok: false,
      diagnostics: [
        diagnostic(
          'SL005',
          `node ${id ?? `#${index}`} nests deeper than ${GRAPH_LIMITS.maxNodeDepth} levels`,
          {
            ...where,
            path: ['nodes', index],
          },
        ),
      ],
    };
  }
  const parsed = GraphNode.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const base = id !== undefined ? [] : ['nodes', index];
  return { ok: false, diagnostics: zodIssuesToDiagnostics(parsed.error.issues, 'SL002', base, where) };
}

function parseEdge(raw: unknown, index: number): Parsed<GraphEdge> {
  const fast = fastEdge(raw);
  if (fast) return { ok: true, value: fast };
  const id = idOf(raw);
  const parsed = GraphEdge.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const where = id !== undefined ? { edgeId: id } : {};
  const base = id !== undefined ? [] : ['edges', index];
  return { ok: false, diagnostics: zodIssuesToDiagnostics(parsed.error.issues, 'SL003', base, where) };
}

/** Whether a value nests objects/arrays deeper than `max`, found without recursion. */
export function exceedsDepth(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  let visited = 0;
  while (stack.length > 0) {
    const entry = stack.pop();
    if (!entry) break;
    const [current, depth] = entry;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > max || ++visited > 200_000) return true;
    const children: unknown[] = Array.isArray(current) ? current : Object.values(current);
    for (const child of children)
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}
