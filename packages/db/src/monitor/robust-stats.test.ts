import { describe, expect, test } from 'vitest';
import {
  defaultDeviationRule,
  defaultRateRule,
  judgeRate,
  judgeValue,
  median,
  medianAbsoluteDeviation,
  percentile,
} from './robust-stats';

// A deterministic jittered baseline: 100 ± 15.
const jittered = Array.from({ length: 30 }, (_, i) => 100 + ((i * 37) % 31) - 15);

describe('robust statistics', () => {
  test.each([
    [[3], 3],
    [[1, 3], 2],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
  ])('median of %j is %d', (values, expected) => expect(median(values)).toBe(expected));

  test('MAD and percentiles', () => {
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9])).toBe(1);
    expect(percentile([5, 1, 4, 2, 3], 100)).toBe(5);
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        99,
      ),
    ).toBe(99);
    expect(() => median([])).toThrow(RangeError);
  });

  test('no verdict before the minimum sample count', () => {
    expect(judgeValue(1e6, jittered.slice(0, 19), defaultDeviationRule, 1)).toEqual({
      status: 'insufficient',
      samples: 19,
    });
  });

  test.each([
    ['10× up', 1000, 'deviates'],
    ['10× down', 10, 'deviates'],
    ['a wide but ordinary value', 130, 'normal'],
    ['a small wobble', 101, 'normal'],
    ['3× up', 300, 'deviates'],
  ])('%s (%d) against 100 ± 15 is %s', (_, value, status) => {
    expect(judgeValue(value, jittered, defaultDeviationRule, 1).status).toBe(status);
  });

  test('a perfectly steady baseline is floored, so a one-unit wobble is not an anomaly', () => {
    const steady = Array.from({ length: 25 }, () => 1000);
    expect(judgeValue(1001, steady, defaultDeviationRule, 1).status).toBe('normal');
    expect(judgeValue(10_000, steady, defaultDeviationRule, 1)).toMatchObject({
      status: 'deviates',
      mad: 50,
    });
  });

  test('rates: a surge of errors over a quiet baseline deviates, the usual share does not', () => {
    const quiet = Array.from({ length: 40 }, (_, i) => i % 20 === 0);
    expect(
      judgeRate([...quiet, ...Array.from({ length: 10 }, (_, i) => i < 5)], defaultRateRule),
    ).toMatchObject({
      status: 'deviates',
      recentRate: 0.5,
      baselineRate: 0.05,
    });
    expect(
      judgeRate([...quiet, ...Array.from({ length: 10 }, (_, i) => i === 3)], defaultRateRule).status,
    ).toBe('normal');
    // Two failures are not enough events to call it a surge.
    expect(
      judgeRate([...quiet, ...Array.from({ length: 10 }, (_, i) => i < 2)], defaultRateRule).status,
    ).toBe('normal');
    expect(judgeRate(quiet.slice(0, 25), defaultRateRule).status).toBe('insufficient');
  });
});
