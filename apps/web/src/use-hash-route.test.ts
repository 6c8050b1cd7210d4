import { describe, expect, it } from 'vitest';
import { parseRoute, workflowHref } from './use-hash-route';

describe('parseRoute', () => {
  it.each([
    ['', null],
    ['#/workflows', null],
    ['#/workflows/', null],
    ['#/workflows/wf_1', 'wf_1'],
    ['#/workflows/a%20b', 'a b'],
    ['#/workflows/%E0%A4%A', null],
    ['#/elsewhere/wf_1', null],
  ])('%j selects %j', (hash, workflowId) => {
    expect(parseRoute(hash)).toEqual({ section: 'workflows', workflowId });
  });

  it('round-trips the link it makes', () => {
    expect(parseRoute(workflowHref('refunds/eu #2')).workflowId).toBe('refunds/eu #2');
  });
});
