import { canonicalJson } from './chain';
import type { Prisma } from './generated/prisma/client';

/**
 * Checks that an opaque value is JSON and gives it to Prisma as a Json column value: throws on
 * anything JSON cannot hold (functions, NaN, class instances…) instead of storing a distortion of it,
 * and drops `undefined` properties. A top-level null is refused: Prisma needs `Prisma.JsonNull` for it.
 *
 * @example
 * await prisma.workflow.update({ where: { id }, data: { draftGraph: toJsonInput(graph) } });
 */
export function toJsonInput(value: unknown): Prisma.InputJsonValue {
  if (value === null || value === undefined) throw new TypeError(`a Json column value cannot be ${value}`);
  const parsed: Prisma.InputJsonValue = JSON.parse(canonicalJson(value));
  return parsed;
}
