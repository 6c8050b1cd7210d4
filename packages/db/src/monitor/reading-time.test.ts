import { describe, expect, test } from 'vitest';
import { countWords, minimumReadingMs, wordsShown } from './reading-time';

describe('reading time', () => {
  test.each([
    ['a sentence', 'Refund 40 EUR to ACME Corp', 6],
    ['punctuation alone is not a word', ' — ; ', 0],
    ['numbers and booleans', [1, true, null], 2],
    ['keys count, split at underscores', { customer_name: 'Ada Lovelace' }, 4],
  ])('%s', (_, value, words) => expect(countWords(value)).toBe(words));

  test('counts what the reviewer is shown, not the data behind it', () => {
    const payload = {
      summary: 'Approve the refund',
      shown: [{ label: 'Reason', value: 'parcel arrived broken' }],
      input: { text: 'a very long document '.repeat(100) },
    };
    expect(wordsShown(payload)).toBe(7);
    expect(wordsShown({ summary: 'Check this', shown: [], input: { a: 'one two' } })).toBe(5);
  });

  test('a sealed payload is estimated from its ciphertext', () => {
    const ct = 'A'.repeat(800); // 600 bytes of JSON
    expect(wordsShown({ $sealed: 'v1', k: 1, iv: 'x', ct, tag: 'y' })).toBe(100);
  });

  test('minimum reading time', () => {
    expect(minimumReadingMs(80, 8)).toBe(10_000);
  });
});
