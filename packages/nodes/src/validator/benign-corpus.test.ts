// The false-positive rate of every detector and the injection heuristics on ordinary business text.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ALL_DETECTORS, scanText } from './detectors/index.js';
import { injectionReport } from './injection/index.js';

const sentences = readFileSync(new URL('./__fixtures__/benign-sentences.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '');

/** The bound the suite holds the detectors to: at most 1 % of benign sentences may raise anything. */
const MAX_FALSE_POSITIVE_RATE = 0.01;
const INJECTION_THRESHOLD = 0.5;

describe('benign corpus', () => {
  test('has at least 200 distinct sentences', () => {
    expect(sentences.length).toBeGreaterThanOrEqual(200);
    expect(new Set(sentences).size).toBe(sentences.length);
  });

  test(`detectors and injection heuristics flag at most ${MAX_FALSE_POSITIVE_RATE * 100} % of it`, () => {
    const flagged: string[] = [];
    for (const sentence of sentences) {
      const matches = scanText(sentence, ALL_DETECTORS);
      const { score } = injectionReport(sentence);
      if (matches.length > 0 || score > INJECTION_THRESHOLD) {
        flagged.push(`${sentence} → ${matches.map((m) => m.kind).join(', ')} injection ${score}`);
      }
    }
    const rate = flagged.length / sentences.length;
    console.log(
      `benign corpus: ${flagged.length} of ${sentences.length} sentences flagged, false-positive rate ${(rate * 100).toFixed(2)} % (bound ${MAX_FALSE_POSITIVE_RATE * 100} %)${flagged.length ? `\n  ${flagged.join('\n  ')}` : ''}`,
    );
    expect(rate).toBeLessThanOrEqual(MAX_FALSE_POSITIVE_RATE);
  });
});
