import type { z } from 'zod';
import type { Classification } from './classification.js';
import { compile, type CompilerOptions } from './compiler/compile.js';
import type { Diagnostic } from './diagnostics.js';
import { formatDiagnostics } from './format.js';
import { type EditorGraph, GRAPH_VERSION, type GraphEdge, type GraphNode } from './graph.js';
import type { NodeRegistry } from './node-definition.js';
import type { Access } from './roles.js';
import type { Spec } from './spec.js';
import type { Compensation, Retry } from './step-options.js';
import type { TriggerConfig } from './trigger.js';

/** The node kinds of DESIGN §3 that the builder has a method for. */
export type BuiltinKind =
  'ai' | 'validator' | 'gate' | 'transform' | 'branch' | 'http' | 'human' | 'subflow' | 'output';

/** Config input types per kind; `@sluice/nodes` exports the precise map as `NodeConfigInputs`. */
export type KindConfigs = Record<BuiltinKind, object>;
type LooseConfigs = Record<BuiltinKind, Record<string, unknown>>;

export interface StepOptions {
  label?: string;
  owner?: string;
  description?: string;
  classification?: Classification;
  clearance?: Classification;
  timeoutMs?: number;
  retry?: Partial<Retry>;
  compensate?: Compensation;
  /**
   * Upstream ports feeding this node (`'id'` or `'id.port'`); default: the previous node. `[]` adds
   * no edge (wire it with `connect`).
   */
  after?: string | string[];
}

/** Thrown by `build()` when the workflow does not compile; carries the diagnostics. */
export class SpecBuildError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(`the workflow does not compile:\n${formatDiagnostics('workflow', diagnostics)}`);
    this.name = 'SpecBuildError';
  }
}

// Output port an unqualified reference means, per kind (a branch has none: name the case).
const DEFAULT_OUTPUT: Readonly<Record<string, string | undefined>> = { gate: 'approved', branch: undefined };

/**
 * Spec as code: a small typed builder that produces the same spec the editor would. Each step is
 * wired from the previous one unless `after` or `.from()` says otherwise.
 *
 * @example
 * const spec = workflow<NodeConfigInputs>('Ticket triage')
 *   .owner('support')
 *   .trigger({ type: 'manual' })
 *   .ai('classify', { provider: 'offline', model: 'echo', prompt: 'Classify {{ input.text }}' })
 *   .gate('review', { defaultTier: 'review' })
 *   .output('done', {})
 *   .build(registry);
 */
export class WorkflowBuilder<M extends KindConfigs = LooseConfigs> {
  #metadata: EditorGraph['metadata'];
  #access: Access = {
    trigger: ['operator'],
    approve: ['reviewer'],
    operate: ['operator'],
    audit: ['auditor'],
  };
  #nodes: GraphNode[] = [];
  #edges: GraphEdge[] = [];
  #cursor: string[] = [];

  constructor(name: string) {
    this.#metadata = { name, description: '', ownerTeam: 'workflows' };
  }

  describe(description: string): this {
    this.#metadata.description = description;
    return this;
  }

  /** The owner team of the workflow, and the default owner of its steps. */
  owner(team: string): this {
    this.#metadata.ownerTeam = team;
    return this;
  }

  version(version: number): this {
    this.#metadata.version = version;
    return this;
  }

  access(access: Partial<Access>): this {
    this.#access = { ...this.#access, ...access };
    return this;
  }

  trigger(
    config: z.input<typeof TriggerConfig>,
    options: Omit<StepOptions, 'after'> & { id?: string } = {},
  ): this {
    const { id = 'trigger', ...rest } = options;
    this.#add('trigger', id, { ...config }, rest, []);
    return this;
  }

  /** Adds a node of any kind (the kind methods below are shorthands). */
  node<K extends BuiltinKind>(kind: K, id: string, config: M[K], options: StepOptions = {}): this {
    const { after, ...rest } = options;
    const from = after === undefined ? this.#cursor : Array.isArray(after) ? after : [after];
    if (after === undefined && from.length === 0) {
      throw new Error(
        `"${id}" has nothing upstream: add a trigger first; after a branch, name the case with .from("id.case")`,
      );
    }
    this.#add(kind, id, Object.fromEntries(Object.entries(config)), rest, from);
    return this;
  }

  ai(id: string, config: M['ai'], options?: StepOptions): this {
    return this.node('ai', id, config, options);
  }
  validator(id: string, config: M['validator'], options?: StepOptions): this {
    return this.node('validator', id, config, options);
  }
  gate(id: string, config: M['gate'], options?: StepOptions): this {
    return this.node('gate', id, config, options);
  }
  transform(id: string, config: M['transform'], options?: StepOptions): this {
    return this.node('transform', id, config, options);
  }
  branch(id: string, config: M['branch'], options?: StepOptions): this {
    return this.node('branch', id, config, options);
  }
  http(id: string, config: M['http'], options?: StepOptions): this {
    return this.node('http', id, config, options);
  }
  human(id: string, config: M['human'], options?: StepOptions): this {
    return this.node('human', id, config, options);
  }
  subflow(id: string, config: M['subflow'], options?: StepOptions): this {
    return this.node('subflow', id, config, options);
  }
  output(id: string, config: M['output'], options?: StepOptions): this {
    return this.node('output', id, config, options);
  }

  /** Continues from other ports: `.from('route.refund')`, or several for a join. */
  from(...refs: string[]): this {
    this.#cursor = refs;
    return this;
  }

  /** Adds an edge: `connect('route.other', 'notify')`. */
  connect(from: string, to: string): this {
    const [target, targetPort = 'in'] = to.split('.');
    if (!target) throw new Error(`"${to}" does not name a node`);
    this.#wire(from, target, targetPort);
    return this;
  }

  /** The editor graph of this workflow (laid out in a row, one column per step). */
  toGraph(): EditorGraph {
    return structuredClone({
      graphVersion: GRAPH_VERSION,
      metadata: this.#metadata,
      access: this.#access,
      nodes: this.#nodes,
      edges: this.#edges,
    });
  }

  /** Compiles the workflow with the registry's kinds; throws {@link SpecBuildError} if it does not compile. */
  build(registry: NodeRegistry, options?: CompilerOptions): Spec {
    const result = compile(this.toGraph(), registry, options);
    if (!result.spec) throw new SpecBuildError(result.diagnostics);
    return result.spec;
  }

  #add(
    kind: string,
    id: string,
    config: Record<string, unknown>,
    options: Omit<StepOptions, 'after'>,
    from: string[],
  ): void {
    const { label, owner, retry, ...rest } = options;
    const node: GraphNode = {
      id,
      kind,
      typeVersion: 1,
      label: label ?? id,
      owner: owner ?? this.#metadata.ownerTeam,
      position: { x: this.#nodes.length * 300, y: 0 },
      config,
      ...rest,
    };
    if (retry)
      node.retry = {
        maxAttempts: 3,
        initialDelayMs: 1000,
        maxDelayMs: 60_000,
        multiplier: 2,
        jitter: true,
        ...retry,
      };
    this.#nodes.push(node);
    for (const ref of from) this.#wire(ref, id, 'in');
    const port = Object.hasOwn(DEFAULT_OUTPUT, kind) ? DEFAULT_OUTPUT[kind] : 'out';
    this.#cursor = kind === 'output' ? [] : port ? [`${id}.${port}`] : [];
  }

  #wire(from: string, target: string, targetPort: string): void {
    const [source, explicitPort] = from.split('.');
    if (!source) throw new Error(`"${from}" does not name a node`);
    const sourceNode = this.#nodes.find((n) => n.id === source);
    const sourcePort = explicitPort ?? (sourceNode ? DEFAULT_OUTPUT[sourceNode.kind] : undefined) ?? 'out';
    this.#edges.push({
      id: `${source}.${sourcePort}->${target}.${targetPort}`,
      source,
      sourceHandle: sourcePort,
      target,
      targetHandle: targetPort,
    });
  }
}

/**
 * Starts a workflow in code. Pass `NodeConfigInputs` from `@sluice/nodes` for typed configs.
 *
 * @example
 * workflow<NodeConfigInputs>('Invoice processing').owner('finance').trigger({ type: 'manual' });
 */
export function workflow<M extends KindConfigs = LooseConfigs>(name: string): WorkflowBuilder<M> {
  return new WorkflowBuilder<M>(name);
}
