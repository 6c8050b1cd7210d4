/** Longest regular expression a `matches()` call may use. */
export const MAX_PATTERN_LENGTH = 256;

/**
 * Why a regular expression could take exponential time (or is refused), or undefined when it is
 * safe. JavaScript's regex engine backtracks, so `matches()` only accepts literal patterns with no
 * back-references and no quantified group that itself contains a quantifier or an alternation
 * (`(a+)+`, `(a|aa)*`): the shapes behind catastrophic backtracking.
 *
 * @example
 * regexRisk('^[a-z]+@example\\.com$'); // undefined
 * regexRisk('(a+)+$'); // 'a quantified group contains a quantifier: ...'
 */
export function regexRisk(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(pattern);
  } catch (error) {
    return `the pattern is not a valid regular expression (${error instanceof Error ? error.message : 'invalid'})`;
  }
  // One frame per open group: did it contain a quantifier or an alternation?
  const frames: { quantified: boolean; alternation: boolean }[] = [{ quantified: false, alternation: false }];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const top = frames[frames.length - 1];
    if (!top) return 'unbalanced groups';
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(next) || next === 'k')) return 'back-references are not allowed';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') frames.push({ quantified: false, alternation: false });
    else if (c === '|') top.alternation = true;
    else if (c === ')') {
      const group = frames.pop();
      const parent = frames[frames.length - 1];
      if (!group || !parent) return 'unbalanced groups';
      const quantifier = readQuantifier(pattern, i + 1);
      if (quantifier.unbounded && (group.quantified || group.alternation)) {
        return `a repeated group contains ${group.quantified ? 'a quantifier' : 'an alternation'}: it can backtrack exponentially`;
      }
      if (group.quantified || quantifier.unbounded) parent.quantified = true;
    } else if (c === '*' || c === '+' || (c === '{' && readQuantifier(pattern, i).unbounded)) {
      top.quantified = true;
    }
  }
  return undefined;
}

function readQuantifier(pattern: string, at: number): { unbounded: boolean } {
  const c = pattern[at];
  if (c === '*' || c === '+') return { unbounded: true };
  if (c === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at));
    if (!match) return { unbounded: false };
    if (match[2] === undefined) return { unbounded: Number(match[1]) > 16 };
    return { unbounded: match[3] === '' || Number(match[3]) > 16 };
  }
  return { unbounded: false };
}
