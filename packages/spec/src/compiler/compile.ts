import type { Classification } from '../classification.js';
import { type Diagnostic, diagnostic, hasErrors } from '../diagnostics.js';
import type { TypedEnvironment } from '../expressions/environment.js';
import { type ExpressionLimits, resolveLimits } from '../expressions/limits.js';
import type { GraphNode } from '../graph.js';
import type { JsonSchema } from '../json-schema.js';
import { CompilePolicy, type NodeDefinition, type NodeRegistry } from '../node-definition.js';
import type { OwnershipEntry } from '../ownership.js';
import { type Sha256, specHash } from '../sha256.js';
import type { Spec } from '../spec.js';
import { buildSpec } from './build-spec.js';
import { classifyGraph } from './classification-pass.js';
import type { CheckCache } from './expression-sites.js';
import { analyzeNode, type NodeLocal } from './node-local.js';
import { ownershipMap } from './ownership-map.js';
import { createParseCache, parseGraph } from './parse-graph.js';
import { checkPolicy } from './policy-pass.js';
import { SchemaKeys } from './schema-keys.js';
import { analyzeStructure } from './structure.js';
import { type NodeTypes, typeGraph, type TypingContext } from './typing.js';

/** What the compiler knows about one node after all passes (for the editor and the engine). */
export interface NodeAnalysis {
  input: JsonSchema;
  outputs: Record<string, JsonSchema>;
  classification: {
    input: Classification;
    outputs: Record<string, Classification>;
    clearance: Classification;
    egress: boolean;
  };
}

/**
 * The compiler's answer: the spec (null when there is any error), every diagnostic, the ownership
 * map, the spec's content hash (null without a spec) and per-node types and labels.
 */
export interface CompileResult {
  spec: Spec | null;
  diagnostics: Diagnostic[];
  ownership: OwnershipEntry[];
  hash: string | null;
  analysis: Record<string, NodeAnalysis>;
}

export interface CompilerOptions {
  policy?: Partial<CompilePolicy>;
  limits?: Partial<ExpressionLimits>;
  /** The SHA-256 for the content hash; defaults to the pure, browser-safe one. */
  sha256?: Sha256;
}

/** How a compiler keeps what it learnt: across calls (the editor) or not at all (one compile). */
interface CacheMode {
  incremental: boolean;
}

export interface CompileCallOptions {
  /** Skip hashing (the editor re-validates on every edit and needs no hash): `hash` is then null. */
  hash?: boolean;
}

/** A compiler bound to a registry, keeping caches between calls for incremental re-validation. */
export interface Compiler {
  compile(graph: unknown, options?: CompileCallOptions): CompileResult;
}

const LOCAL_CACHE_SIZE = 50_000;
const MAX_SCHEMAS = 20_000;

/**
 * Creates a compiler that remembers what it learnt about each node: an edit to one node re-parses and
 * re-checks that node (and whatever its new output type reaches), not the whole graph. Unchanged node
 * objects are recognised by identity (the editor's immutable updates keep them), other nodes by
 * content.
 *
 * @example
 * const compiler = createCompiler(registry);
 * const first = compiler.compile(graph);
 * const again = compiler.compile({ ...graph, nodes: graph.nodes.map((n) => (n.id === 'x' ? edited : n)) });
 */
export function createCompiler(registry: NodeRegistry, options: CompilerOptions = {}): Compiler {
  return makeCompiler(registry, options, { incremental: true });
}

function makeCompiler(registry: NodeRegistry, options: CompilerOptions, mode: CacheMode): Compiler {
  const kinds = new Map<string, NodeDefinition>();
  for (const def of registry) kinds.set(def.kind, def);
  const policy = CompilePolicy.parse(options.policy ?? {});
  const limits = resolveLimits(options.limits);
  const parseCache = mode.incremental ? createParseCache() : undefined;
  const byIdentity = new WeakMap<GraphNode, NodeLocal>();
  // Type caches. A long editing session keeps adding schemas; past a bound they start over (the
  // memo holds schema ids, so it goes with them).
  const typeCaches = (): Omit<TypingContext, 'limits'> => {
    const checks: CheckCache = new Map();
    return {
      keys: new SchemaKeys(),
      checks,
      memo: mode.incremental ? new WeakMap<NodeLocal, { inputId: number; types: NodeTypes }>() : undefined,
      environments: new Map<string, TypedEnvironment>(),
    };
  };
  let types = typeCaches();

  // The last analysis per node id, with its node's JSON once computed: when the editor hands over a
  // new object with the same content (no structural sharing), the analysis is reused.
  let byId = new Map<string, { local: NodeLocal; text?: string }>();
  const local = (node: GraphNode): NodeLocal => {
    if (!mode.incremental) return analyzeNode(node, kinds, policy);
    const hit = byIdentity.get(node);
    if (hit) return hit;
    const previous = byId.get(node.id);
    let result: NodeLocal | undefined;
    if (previous) {
      previous.text ??= JSON.stringify(previous.local.node);
      if (previous.text === JSON.stringify(node)) result = previous.local;
    }
    if (!result) {
      result = analyzeNode(node, kinds, policy);
      if (byId.size >= LOCAL_CACHE_SIZE) byId = new Map();
      byId.set(node.id, { local: result });
    }
    byIdentity.set(node, result);
    return result;
  };

  const run = (graph: unknown, call: CompileCallOptions): CompileResult => {
    const parsed = parseGraph(graph, parseCache);
    if (parsed.fatal)
      return { spec: null, diagnostics: parsed.diagnostics, ownership: [], hash: null, analysis: {} };
    const locals = [...parsed.nodes.map(local), ...parsed.broken.map(({ id, kind }) => opaqueNode(id, kind))];
    const structure = analyzeStructure(locals, parsed.edges);
    if (types.keys.size > MAX_SCHEMAS) types = typeCaches();
    const typing = typeGraph(structure, { ...types, limits });
    const flow = classifyGraph(structure, policy);
    const diagnostics: Diagnostic[] = [
      ...parsed.diagnostics,
      ...structure.locals.flatMap((l) => l.diagnostics),
      ...structure.diagnostics,
      ...typing.diagnostics,
      ...flow.diagnostics,
      ...checkPolicy(structure, flow.flows, parsed.access),
    ];
    const ownership = ownershipMap(structure, flow.flows, parsed.access);
    const analysis: Record<string, NodeAnalysis> = {};
    for (const index of structure.order) {
      const types = typing.types[index];
      const id = structure.locals[index]?.node.id;
      if (!types || id === undefined) continue;
      const f = flow.flows[index];
      analysis[id] = {
        input: types.input,
        outputs: types.outputs,
        classification: {
          input: f?.input ?? 'public',
          outputs: f ? f.outputs : {},
          clearance: f?.clearance ?? 'restricted',
          egress: f?.egress ?? false,
        },
      };
    }
    let spec: Spec | null = null;
    if (!hasErrors(diagnostics) && parsed.metadata && parsed.access) {
      const built = buildSpec(parsed.metadata, parsed.access, structure);
      if ('spec' in built) spec = built.spec;
      else diagnostics.push(...built.diagnostics);
    }
    const hash = spec && call.hash !== false ? specHash(spec, options.sha256) : null;
    return { spec, diagnostics, ownership, hash, analysis };
  };

  return {
    compile(graph, call = {}) {
      try {
        return run(graph, call);
      } catch (error) {
        // A bug must not take the editor down: report it as a diagnostic instead of throwing.
        const reason = error instanceof Error ? error.message : String(error);
        return {
          spec: null,
          diagnostics: [diagnostic('SL009', `the compiler failed: ${reason}`)],
          ownership: [],
          hash: null,
          analysis: {},
        };
      }
    },
  };
}

/** Stands in for a node that did not parse (already reported), so edges to it do not dangle. */
function opaqueNode(id: string, kind: string): NodeLocal {
  const node: GraphNode = {
    id,
    kind,
    typeVersion: 1,
    label: id,
    owner: '',
    position: { x: 0, y: 0 },
    config: {},
  };
  return { node, inputs: [], outputs: [], sites: [], stepSites: [], compensationSites: [], diagnostics: [] };
}

/**
 * Compiles an editor graph (any value: bad data becomes diagnostics) into a `sluice/v1` spec with
 * the registry's node kinds. Synchronous, pure and browser-safe; never throws.
 *
 * @example
 * const { spec, diagnostics, ownership, hash } = compile(graph, registry);
 * if (!spec) console.log(formatDiagnostics('triage.json', diagnostics));
 */
export function compile(
  graph: unknown,
  registry: NodeRegistry,
  options: CompilerOptions = {},
): CompileResult {
  return makeCompiler(registry, options, { incremental: false }).compile(graph);
}
