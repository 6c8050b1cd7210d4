import { z } from 'zod';

/**
 * Data classification labels, lowest to highest. The spec's security type system: labels flow along
 * edges and a node may only receive data at or below its clearance (DESIGN §3).
 *
 * @example
 * Classification.parse('confidential'); // 'confidential'
 */
export const Classification = z.enum(['public', 'internal', 'confidential', 'restricted']);
export type Classification = z.infer<typeof Classification>;

const RANK: Readonly<Record<Classification, number>> = {
  public: 0,
  internal: 1,
  confidential: 2,
  restricted: 3,
};

/** Position of a label in the lattice (`public` = 0 … `restricted` = 3). */
export function classificationRank(label: Classification): number {
  return RANK[label];
}

/**
 * The least upper bound of two labels: what data derived from both must carry.
 *
 * @example
 * joinClassification('internal', 'confidential'); // 'confidential'
 */
export function joinClassification(a: Classification, b: Classification): Classification {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The greatest lower bound of two labels. */
export function meetClassification(a: Classification, b: Classification): Classification {
  return RANK[a] <= RANK[b] ? a : b;
}

/**
 * Whether data labelled `data` may flow into a node cleared for `clearance`.
 *
 * @example
 * canFlow('confidential', 'public'); // false
 */
export function canFlow(data: Classification, clearance: Classification): boolean {
  return RANK[data] <= RANK[clearance];
}

/** The join of any number of labels; `public` for none. */
export function joinAll(labels: Iterable<Classification>): Classification {
  let out: Classification = 'public';
  for (const label of labels) out = joinClassification(out, label);
  return out;
}
