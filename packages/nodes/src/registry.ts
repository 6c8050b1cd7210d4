import type { NodeDefinition } from '@sluice/spec';
import type { z } from 'zod';
import { aiNode } from './ai/definition.js';
import { branchNode } from './branch/definition.js';
import { createRegistry } from './define.js';
import { gateNode } from './gate/definition.js';
import { httpNode } from './http/definition.js';
import { humanNode } from './human/definition.js';
import { outputNode } from './output/definition.js';
import { subflowNode } from './subflow/definition.js';
import { transformNode } from './transform/definition.js';
import { triggerNode } from './trigger/definition.js';
import { validatorNode } from './validator/definition.js';

/**
 * Every node kind, one line each. Adding a kind touches its folder and this list (CONVENTIONS 5).
 *
 * @example
 * compile(graph, registry);
 */
export const registry = createRegistry([
  triggerNode,
  aiNode,
  validatorNode,
  gateNode,
  transformNode,
  branchNode,
  httpNode,
  humanNode,
  subflowNode,
  outputNode,
]);

type Registered = (typeof registry)[number];

/** The kinds of node, derived from the registry. */
export type NodeKind = Registered['kind'];

/** The definition type of one kind. */
export type KindDefinition<K extends NodeKind> = Extract<Registered, { kind: K }>;

/** Parsed config (defaults applied) per kind. */
export type NodeConfigs = { [K in NodeKind]: z.output<KindDefinition<K>['configSchema']> };

/** Config as written (defaults optional) per kind: pass to `workflow<NodeConfigInputs>()`. */
export type NodeConfigInputs = { [K in NodeKind]: z.input<KindDefinition<K>['configSchema']> };

const byKind = new Map<string, NodeDefinition>(registry.map((definition) => [definition.kind, definition]));

/**
 * The definition of a kind, or undefined for an unknown kind.
 *
 * @example
 * getKind('gate')?.outputs(getKind('gate')!.defaultConfig); // approved, rejected
 */
export function getKind<K extends NodeKind>(kind: K): KindDefinition<K>;
export function getKind(kind: string): NodeDefinition | undefined;
export function getKind(kind: string): NodeDefinition | undefined {
  return byKind.get(kind);
}

/** Whether a string names a registered kind. */
export function isNodeKind(kind: string): kind is NodeKind {
  return byKind.has(kind);
}
