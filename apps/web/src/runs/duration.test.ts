import { describe, expect, it } from 'vitest';
import { between, formatDuration } from './duration';

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [12_400, '12.4 s'],
    [185_000, '3 min 5 s'],
    [7_800_000, '2 h 10 min'],
    [-1, '—'],
  ])('%d ms reads %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('measures to now while unfinished', () => {
    expect(between('2026-01-01T00:00:00.000Z', null, Date.parse('2026-01-01T00:00:02.000Z'))).toBe('2.0 s');
    expect(between(null, null)).toBe('—');
  });
});
