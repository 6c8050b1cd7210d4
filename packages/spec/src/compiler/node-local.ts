import { type Diagnostic, diagnostic } from '../diagnostics.js';
import type { GraphNode } from '../graph.js';
import { isRecord } from '../guards.js';
import { NODE_ID_PATTERN, PORT_NAME_PATTERN } from '../ids.js';
import type {
  CompilePolicy,
  ExpressionSite,
  HumanStep,
  NodeDefinition,
  NodeView,
  Port,
} from '../node-definition.js';
import { findSecrets } from './secrets.js';
import { zodIssuesToDiagnostics } from './zod-issues.js';

/** What the compiler learns from one node alone (cached per node object and content). */
export interface NodeLocal {
  node: GraphNode;
  def?: NodeDefinition;
  /** The parsed config with defaults, when it is valid. */
  config?: unknown;
  inputs: Port[];
  outputs: Port[];
  sites: ExpressionSite[];
  /** `sites` split by scope: what the step evaluates, and what its compensation evaluates. */
  stepSites: ExpressionSite[];
  compensationSites: ExpressionSite[];
  /** Where a person steps in at this node (gate approvers, human task). */
  human?: HumanStep;
  diagnostics: Diagnostic[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Node-local analysis: id, owner, kind, typeVersion (with upgrades), config against the kind's zod
 * schema, literal secrets, the kind's own checks, its ports and expression sites. Never throws: a
 * failing kind definition is reported as SL009.
 */
export function analyzeNode(
  node: GraphNode,
  kinds: ReadonlyMap<string, NodeDefinition>,
  policy: CompilePolicy,
): NodeLocal {
  const nodeId = node.id;
  const local: NodeLocal = {
    node,
    inputs: [],
    outputs: [],
    sites: [],
    stepSites: [],
    compensationSites: [],
    diagnostics: [],
  };
  const diags = local.diagnostics;
  if (!NODE_ID_PATTERN.test(nodeId)) {
    diags.push(
      diagnostic('SL111', `"${nodeId}" is not a valid node id`, {
        nodeId,
        path: ['id'],
        hint: 'use letters, digits, _ or -, starting with a letter (at most 64 characters)',
      }),
    );
  }
  if (node.owner.trim() === '') {
    diags.push(
      diagnostic('SL601', 'no owner: every stage needs a team that answers for it', {
        nodeId,
        path: ['owner'],
        hint: 'set the owner team in the inspector',
      }),
    );
  }
  const def = kinds.get(node.kind);
  if (!def) {
    diags.push(
      diagnostic('SL110', `unknown node kind "${node.kind}"`, {
        nodeId,
        path: ['kind'],
        hint: `use one of: ${[...kinds.keys()].join(', ')}`,
      }),
    );
    return local;
  }
  local.def = def;
  const upgraded = upgradeConfig(node, def, diags);
  if (upgraded === undefined) return local;
  const parsed = def.configSchema.safeParse(upgraded);
  if (!parsed.success) {
    diags.push(...zodIssuesToDiagnostics(parsed.error.issues, 'SL201', ['config'], { nodeId }));
    return local;
  }
  const config = parsed.data;
  local.config = config;
  diags.push(...findSecrets(config, nodeId));
  try {
    const view: NodeView<unknown> = { id: nodeId, label: node.label, owner: node.owner, config };
    if (node.classification) view.classification = node.classification;
    if (node.clearance) view.clearance = node.clearance;
    for (const d of def.checks(view, { policy })) diags.push(d);
    local.inputs = def.inputs(config);
    local.outputs = def.outputs(config);
    for (const ports of [local.inputs, local.outputs]) {
      for (const port of ports) {
        if (!PORT_NAME_PATTERN.test(port.name)) throw new Error(`"${port.name}" is not a valid port name`);
      }
    }
    local.sites = def.expressions(config);
    const human = def.humans?.(config);
    if (human) local.human = human;
  } catch (error) {
    diags.push(
      diagnostic('SL009', `the "${def.kind}" kind failed while checking this node: ${message(error)}`, {
        nodeId,
      }),
    );
    local.config = undefined;
    return local;
  }
  if (node.compensate) {
    local.sites.push({
      path: ['compensate', 'instructions'],
      source: node.compensate.instructions,
      mode: 'template',
      scope: 'compensation',
    });
  }
  for (const site of local.sites)
    (site.scope === 'compensation' ? local.compensationSites : local.stepSites).push(site);
  return local;
}

function upgradeConfig(
  node: GraphNode,
  def: NodeDefinition,
  diags: Diagnostic[],
): Record<string, unknown> | undefined {
  const nodeId = node.id;
  if (node.typeVersion > def.typeVersion) {
    diags.push(
      diagnostic(
        'SL202',
        `"${def.kind}" version ${node.typeVersion} is newer than this Sluice knows (${def.typeVersion})`,
        {
          nodeId,
          path: ['typeVersion'],
          hint: 'upgrade Sluice, or recreate the node',
        },
      ),
    );
    return undefined;
  }
  let config: Record<string, unknown> = node.config;
  for (let version = node.typeVersion; version < def.typeVersion; version++) {
    const step = def.upgrades?.[version];
    if (!step) {
      diags.push(
        diagnostic('SL202', `no upgrade from "${def.kind}" version ${version} to ${version + 1}`, {
          nodeId,
          path: ['typeVersion'],
          hint: 'recreate the node from the palette',
        }),
      );
      return undefined;
    }
    try {
      const next = step(config);
      if (!isRecord(next)) throw new Error('the upgrade did not return an object');
      config = next;
    } catch (error) {
      diags.push(
        diagnostic('SL202', `upgrading "${def.kind}" from version ${version} failed: ${message(error)}`, {
          nodeId,
        }),
      );
      return undefined;
    }
  }
  return config;
}
