import { z } from 'zod';

/**
 * Bounds on expressions and on the data they see. The CEL library bounds parsing only, so Sluice adds
 * a length cap, a static cost estimate, no nested comprehensions and caps on the context's lists,
 * strings and depth: together they bound the work one evaluation can do.
 *
 * @example
 * ExpressionLimits.parse({ maxListSize: 5000 });
 */
export const ExpressionLimits = z.object({
  /** Characters in one expression. */
  maxLength: z.number().int().positive().default(4096),
  /** Characters in one `{{ }}` template (prompts are long). */
  maxTemplateLength: z.number().int().positive().default(65_536),
  /** `{{ }}` parts in one template. */
  maxTemplateParts: z.number().int().positive().default(64),
  /** Parsed AST nodes in one expression. */
  maxAstNodes: z.number().int().positive().default(1000),
  /** Nesting depth of calls, selections, indexes and literals. */
  maxDepth: z.number().int().positive().default(32),
  /** Static cost estimate (see analyzeExpression): about one unit per value visited. */
  maxCost: z.number().int().positive().default(200_000),
  /** Items in one list (or entries in one map) of the context. */
  maxListSize: z.number().int().positive().default(1000),
  /** Characters in one string of the context. */
  maxStringLength: z.number().int().positive().default(1_000_000),
  /** Nesting depth of the context's objects and lists. */
  maxContextDepth: z.number().int().positive().default(32),
  /** Values (scalars, lists, maps) in the whole context. */
  maxContextValues: z.number().int().positive().default(100_000),
  /** Characters of a result rendered as JSON. */
  maxResultLength: z.number().int().positive().default(1_000_000),
});
export type ExpressionLimits = z.infer<typeof ExpressionLimits>;

export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = Object.freeze(ExpressionLimits.parse({}));

/** Resolves partial limits against the defaults. */
export function resolveLimits(limits?: Partial<ExpressionLimits>): ExpressionLimits {
  if (limits === undefined) return DEFAULT_EXPRESSION_LIMITS;
  return { ...DEFAULT_EXPRESSION_LIMITS, ...limits };
}

/** A key that identifies the parse-time limits (environments are cached per key). */
export function parseLimitsKey(limits: ExpressionLimits): string {
  return `${limits.maxAstNodes}/${limits.maxDepth}`;
}
