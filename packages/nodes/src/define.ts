import type { NodeDefinition } from '@sluice/spec';
import type { z } from 'zod';

/** A node definition whose kind and config schema keep their precise types. */
export type DefinedNode<K extends string, S extends z.ZodType> = NodeDefinition<z.output<S>> & {
  readonly kind: K;
  readonly configSchema: S;
};

/**
 * Declares a node kind; the config type of every method is inferred from `configSchema`.
 *
 * @example
 * export const outputNode = defineNode({ kind: 'output', configSchema: OutputConfig, ... });
 */
export function defineNode<const K extends string, S extends z.ZodType>(
  definition: DefinedNode<K, S>,
): DefinedNode<K, S> {
  return definition;
}

/**
 * Freezes a registry: one definition per kind. A second definition of a kind is a programming error
 * and throws at load time.
 *
 * @example
 * createRegistry([triggerNode, aiNode]);
 */
export function createRegistry<const T extends readonly NodeDefinition[]>(definitions: T): T {
  const seen = new Set<string>();
  for (const definition of definitions) {
    if (seen.has(definition.kind)) throw new Error(`node kind "${definition.kind}" is registered twice`);
    seen.add(definition.kind);
  }
  return Object.freeze(definitions);
}
