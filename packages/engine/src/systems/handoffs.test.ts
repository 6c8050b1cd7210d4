import { registry } from '@sluice/nodes';
import { serverExecutors } from '@sluice/nodes/server';
import { type NodeConfigInputs } from '@sluice/nodes';
import { workflow } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { buildPlan, type ExecutionPlan } from '../plan.js';
import { clearanceOf, inspectHandoffs, observedLabel } from './handoffs.js';

function planOf(): ExecutionPlan {
  const spec = workflow<NodeConfigInputs>('handoffs')
    .owner('support')
    .trigger(
      { type: 'manual', input: { type: 'object', properties: { note: { type: 'string' } } } },
      { classification: 'public' },
    )
    .ai('draft', { provider: 'offline', model: 'echo', prompt: '{{ input.note }}' })
    .human('check', { role: 'operator' })
    .ai('polish', { provider: 'offline', model: 'echo', prompt: '{{ input.notes }}' })
    .http(
      'send',
      { method: 'POST', url: 'https://api.example.test/x', allowHosts: ['api.example.test'] },
      { owner: 'billing' },
    )
    .output('done', {})
    .build(registry);
  return buildPlan(
    { id: 'v1', workflowId: 'w1', workspaceId: 'ws1', version: 1, spec, hash: 'a'.repeat(64) },
    serverExecutors,
  );
}

function inspect(plan: ExecutionPlan, to: string, payload: unknown) {
  const node = plan.nodes.get(to);
  if (!node) throw new Error(to);
  return inspectHandoffs(plan, node, node.incoming, [payload]);
}

describe('handoff inspection', () => {
  const plan = planOf();

  test('boundaries: agent to human, human to agent, team to team and egress', () => {
    const boundaries = (to: string) => {
      const event = inspect(plan, to, {}).events[0];
      return event?.type === 'handoff.inspected' ? event.payload.boundaries : [];
    };
    expect(boundaries('draft')).toEqual([]);
    expect(boundaries('check')).toEqual(['agent-to-human']);
    expect(boundaries('polish')).toEqual(['human-to-agent']);
    expect(boundaries('send')).toEqual(['team-to-team', 'egress']);
    expect(boundaries('done')).toEqual(['team-to-team']);
  });

  test('a person may see personal data; an external host may not; values are never recorded', () => {
    expect(inspect(plan, 'check', { text: 'mail ann@example.test' })).toMatchObject({
      events: [{ payload: { observed: 'confidential', clearance: 'restricted', blocked: false } }],
    });
    const sent = inspect(plan, 'send', { text: 'mail ann@example.test' });
    expect(sent.blocked).toMatchObject({ code: 'HANDOFF_BLOCKED' });
    expect(sent.events).toMatchObject([
      {
        payload: {
          observed: 'confidential',
          clearance: 'public',
          findings: [{ detector: 'email', path: '/text' }],
        },
      },
    ]);
    expect(JSON.stringify(sent)).not.toContain('ann@example.test');
  });

  test('labels: what the detectors found decides, and egress nodes never exceed the external clearance', () => {
    expect(observedLabel([])).toBe('public');
    expect(observedLabel([{ detector: 'phone' }])).toBe('confidential');
    expect(observedLabel([{ detector: 'phone' }, { detector: 'iban' }])).toBe('restricted');
    const send = plan.nodes.get('send');
    if (!send) throw new Error('send');
    expect(clearanceOf(plan, send)).toEqual({ clearance: 'public', egress: true });
    const tampered: ExecutionPlan = {
      ...plan,
      spec: {
        ...plan.spec,
        nodes: { ...plan.spec.nodes, send: { ...plan.spec.nodes.send!, clearance: 'restricted' } },
      },
    };
    expect(clearanceOf(tampered, send)).toEqual({ clearance: 'public', egress: true });
  });
});
