import { describe, expect, test } from 'vitest';
import { ALL_DIAGNOSTIC_CODES, DIAGNOSTIC_CODES } from './diagnostic-codes.js';
import { Diagnostic, diagnostic, formatPath, hasErrors } from './diagnostics.js';
import { formatDiagnostic, formatDiagnostics, summarizeDiagnostics } from './format.js';

describe('diagnostic codes', () => {
  test('codes are SLnnn and names are unique', () => {
    for (const code of ALL_DIAGNOSTIC_CODES) expect(code).toMatch(/^SL\d{3}$/);
    const names = Object.values(DIAGNOSTIC_CODES).map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  test('a built diagnostic carries the registered name and severity and validates', () => {
    const d = diagnostic('SL106', 'never runs', { nodeId: 'x' });
    expect(d).toEqual({
      code: 'SL106',
      name: 'UNREACHABLE_NODE',
      severity: 'warning',
      message: 'never runs',
      nodeId: 'x',
    });
    expect(Diagnostic.parse(d)).toEqual(d);
    expect(hasErrors([d])).toBe(false);
    expect(hasErrors([d, diagnostic('SL101', 'x')])).toBe(true);
  });
});

describe('formatting', () => {
  test.each([
    [['config', 'tiers', 0, 'when'], 'config.tiers[0].when'],
    [['config', 'headers', 'Idempotency-Key'], 'config.headers.Idempotency-Key'],
    [['config', 'mapping', 'a b'], 'config.mapping["a b"]'],
    [[], ''],
  ])('formatPath(%j) = %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });

  test('a node diagnostic reads like compiler output', () => {
    const d = diagnostic('SL402', 'No such key: amout', {
      nodeId: 'gate',
      path: ['config', 'tiers', 0, 'when'],
    });
    expect(formatDiagnostic('triage.json', d)).toBe(
      'triage.json: node "gate" config.tiers[0].when: error SL402 No such key: amout',
    );
  });

  test('edge and document diagnostics', () => {
    expect(formatDiagnostic('f.json', diagnostic('SL101', 'gone', { edgeId: 'e1' }))).toBe(
      'f.json: edge "e1": error SL101 gone',
    );
    expect(formatDiagnostic('f.json', diagnostic('SL107', 'no trigger'))).toBe(
      'f.json: error SL107 no trigger',
    );
  });

  test('formatDiagnostics adds hints and a summary', () => {
    const text = formatDiagnostics('f.json', [
      diagnostic('SL101', 'gone', { edgeId: 'e1', hint: 'reconnect it' }),
      diagnostic('SL106', 'never runs', { nodeId: 'n' }),
    ]);
    expect(text.split('\n')).toEqual([
      'f.json: edge "e1": error SL101 gone',
      '  hint: reconnect it',
      'f.json: node "n": warning SL106 never runs',
      'f.json: 1 error, 1 warning',
    ]);
    expect(formatDiagnostics('f.json', [], { hints: false })).toBe('f.json: no problems');
    expect(summarizeDiagnostics([diagnostic('SL101', 'a'), diagnostic('SL101', 'b')])).toBe('2 errors');
  });
});
