import { describe, expect, test } from 'vitest';
import { regexRisk } from './regex-safety.js';

describe('regexRisk', () => {
  test.each([
    '^[a-z]+@example\\.com$',
    '^\\d{3}-\\d{4}$',
    '(ab)+',
    '(a|b)?c',
    'https?://[a-z0-9.-]+',
    '[(+*)]+',
    '(?:abc){2,4}',
  ])('%s is safe', (pattern) => {
    expect(regexRisk(pattern)).toBeUndefined();
  });

  test.each([
    ['(a+)+$', /quantifier/],
    ['(a*)*', /quantifier/],
    ['(a|aa)+', /alternation/],
    ['((ab)+c)*', /quantifier/],
    ['(x+x+)+y', /quantifier/],
    ['(a{2,})+', /quantifier/],
    ['(\\w+\\s?)*$', /quantifier/],
    ['(a)\\1', /back-references/],
    ['(?<x>a)\\k<x>', /back-references/],
    ['(', /not a valid/],
    ['a'.repeat(300), /longer/],
  ])('%s is refused', (pattern, reason) => {
    expect(regexRisk(pattern)).toMatch(reason);
  });
});
