import { describe, expect, test } from 'vitest';
import {
  canFlow,
  Classification,
  classificationRank,
  joinAll,
  joinClassification,
  meetClassification,
} from './classification.js';

const labels = Classification.options;

describe('classification lattice', () => {
  test('orders public < internal < confidential < restricted', () => {
    expect(labels.map(classificationRank)).toEqual([0, 1, 2, 3]);
  });

  test.each(labels.flatMap((a) => labels.map((b) => [a, b] as const)))(
    'join and meet of %s and %s',
    (a, b) => {
      const join = joinClassification(a, b);
      const meet = meetClassification(a, b);
      expect(classificationRank(join)).toBe(Math.max(classificationRank(a), classificationRank(b)));
      expect(classificationRank(meet)).toBe(Math.min(classificationRank(a), classificationRank(b)));
      expect(canFlow(a, b)).toBe(classificationRank(a) <= classificationRank(b));
    },
  );

  test('joinAll of nothing is public', () => {
    expect(joinAll([])).toBe('public');
    expect(joinAll(['internal', 'restricted', 'public'])).toBe('restricted');
  });
});
