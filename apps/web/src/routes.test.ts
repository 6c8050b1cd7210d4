import { describe, expect, it } from 'vitest';
import { parseSectionRoute, sectionHref } from './routes';

describe('parseSectionRoute', () => {
  it.each([
    ['', { section: 'workflows', rest: [] }],
    ['#/', { section: 'workflows', rest: [] }],
    ['#/nowhere/x', { section: 'workflows', rest: [] }],
    ['#/runs', { section: 'runs', rest: [] }],
    ['#/runs/r1/steps/classify', { section: 'runs', rest: ['r1', 'steps', 'classify'] }],
    ['#/audit/a%2Fb', { section: 'audit', rest: ['a/b'] }],
    ['#/settings/tokens/', { section: 'settings', rest: ['tokens'] }],
    ['#/alerts/%E0%A4%A/x', { section: 'alerts', rest: [] }],
    ['#/workflows/wf1?tab=x', { section: 'workflows', rest: ['wf1'] }],
  ])('%s', (hash, expected) => {
    expect(parseSectionRoute(hash)).toEqual(expected);
  });

  it('round-trips what sectionHref writes', () => {
    const href = sectionHref('runs', 'id with/slash', 'steps', 'n#1');
    expect(parseSectionRoute(href)).toEqual({ section: 'runs', rest: ['id with/slash', 'steps', 'n#1'] });
  });
});
