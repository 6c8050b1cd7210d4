// The statistics the deviation detector decides with. Pure functions, no I/O.
//
// The rule for a measured value (duration, tokens, output size) against a node's baseline (the
// values of its last N successful steps of the same workflow version):
//
//   1. No verdict before the baseline holds `minSamples` values (default 20): too few to know
//      what normal is.
//   2. z = 0.6745 · (x − median) / MAD, where MAD is the median absolute deviation from the median
//      (0.6745 makes it comparable to a standard score for normally distributed data). A MAD of 0
//      (a perfectly steady node) is floored at 5 % of the median, and at the metric's own floor
//      (1 ms, 1 token, 1 byte), so a steady node is not flagged for a one-unit wobble.
//   3. The value deviates when |z| > `zThreshold` (default 6) AND the larger of value and median is
//      at least (1 + `minRelativeChange`) times the smaller (default 1: twice or half), so that a
//      node with a very tight baseline is not flagged for a change nobody would call an anomaly.
//      Drops count as well as rises (a node whose tokens collapse may have skipped its work); a
//      drop can only reach the z threshold on a tight baseline, as it is bounded by the median.
//
// Rates (error rate, validator block rate) are judged differently: the share of the last
// `recentWindow` outcomes (default 10) against the share in the `minSamples`+ outcomes before them.
// The recent rate deviates when it holds at least `minEvents` (default 3) events and exceeds the
// baseline rate by max(0.3, 3·σ), σ = sqrt(p(1−p)/recentWindow) with p floored at 0.01.

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('the median of no values is undefined');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation from the median. */
export function medianAbsoluteDeviation(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/** The `p`-th percentile (0–100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('a percentile of no values is undefined');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export interface DeviationRule {
  minSamples: number;
  zThreshold: number;
  minRelativeChange: number;
}

export const defaultDeviationRule: DeviationRule = { minSamples: 20, zThreshold: 6, minRelativeChange: 1 };

export type ValueVerdict =
  | { status: 'insufficient'; samples: number }
  | { status: 'normal' | 'deviates'; z: number; median: number; mad: number; samples: number };

/**
 * Judges `value` against `baseline` by the rule in the module header.
 *
 * @example
 * judgeValue(1000, durations, defaultDeviationRule, 1); // { status: 'deviates', z: 40.1, median: 100, … }
 */
export function judgeValue(
  value: number,
  baseline: readonly number[],
  rule: DeviationRule,
  floor: number,
): ValueVerdict {
  if (baseline.length < rule.minSamples) return { status: 'insufficient', samples: baseline.length };
  const center = median(baseline);
  const mad = Math.max(medianAbsoluteDeviation(baseline, center), Math.abs(center) * 0.05, floor);
  const z = (0.6745 * (value - center)) / mad;
  const hi = Math.max(Math.abs(value), Math.abs(center), floor);
  const lo = Math.max(Math.min(Math.abs(value), Math.abs(center)), floor);
  const farEnough = hi / lo >= 1 + rule.minRelativeChange;
  return {
    status: Math.abs(z) > rule.zThreshold && farEnough ? 'deviates' : 'normal',
    z,
    median: center,
    mad,
    samples: baseline.length,
  };
}

export interface RateRule {
  minSamples: number;
  recentWindow: number;
  minEvents: number;
}

export const defaultRateRule: RateRule = { minSamples: 20, recentWindow: 10, minEvents: 3 };

export type RateVerdict =
  | { status: 'insufficient'; samples: number }
  | { status: 'normal' | 'deviates'; recentRate: number; baselineRate: number; samples: number };

/**
 * Judges the newest `recentWindow` outcomes (true = the event happened: an error, a block) against
 * the outcomes before them, oldest first, by the rule in the module header.
 */
export function judgeRate(outcomes: readonly boolean[], rule: RateRule): RateVerdict {
  const before = outcomes.length - rule.recentWindow;
  if (before < rule.minSamples) return { status: 'insufficient', samples: Math.max(0, before) };
  const recent = outcomes.slice(before);
  const baseline = outcomes.slice(0, before);
  const recentEvents = recent.filter(Boolean).length;
  const recentRate = recentEvents / recent.length;
  const baselineRate = baseline.filter(Boolean).length / baseline.length;
  const p = Math.max(baselineRate, 0.01);
  const sigma = Math.sqrt((p * (1 - p)) / rule.recentWindow);
  const deviates = recentEvents >= rule.minEvents && recentRate - baselineRate > Math.max(0.3, 3 * sigma);
  return { status: deviates ? 'deviates' : 'normal', recentRate, baselineRate, samples: baseline.length };
}
