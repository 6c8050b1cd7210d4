import { describe, expect, it } from 'vitest';
import { diffHref, parseRoute, workflowHref } from './use-hash-route';

describe('parseRoute', () => {
  it.each([
    ['', 'workflows', null],
    ['#/workflows', 'workflows', null],
    ['#/workflows/', 'workflows', null],
    ['#/workflows/wf_1', 'workflows', 'wf_1'],
    ['#/workflows/a%20b', 'workflows', 'a b'],
    ['#/workflows/%E0%A4%A', 'workflows', null],
    ['#/runs/r_1', 'runs', 'r_1'],
  ])('%j is section %j with %j chosen', (hash, section, workflowId) => {
    expect(parseRoute(hash)).toMatchObject({ section, workflowId });
  });

  it.each([
    ['#/workflows/wf_1', 'editor', null],
    ['#/workflows/wf_1/ownership', 'ownership', null],
    ['#/workflows/wf_1/versions', 'versions', null],
    ['#/workflows/wf_1/diff/1/2', 'diff', { from: 1, to: 2 }],
    ['#/workflows/wf_1/diff/3/draft', 'diff', { from: 3, to: 'draft' }],
    ['#/workflows/wf_1/diff/0/x', 'versions', null],
    ['#/workflows/wf_1/elsewhere', 'editor', null],
  ])('%j shows the %s view', (hash, view, diff) => {
    expect(parseRoute(hash)).toMatchObject({ view, diff });
  });

  it('round-trips the links it makes', () => {
    expect(parseRoute(workflowHref('refunds/eu #2')).workflowId).toBe('refunds/eu #2');
    expect(parseRoute(workflowHref('wf', 'ownership')).view).toBe('ownership');
    expect(parseRoute(diffHref('wf', 2, 'draft'))).toMatchObject({
      view: 'diff',
      diff: { from: 2, to: 'draft' },
    });
  });
});
