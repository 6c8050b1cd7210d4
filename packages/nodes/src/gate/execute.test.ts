import type { Finding } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { StepError, type StepWait } from '../executor.js';
import { testContext } from '../testing/executor-context.js';
import { GateConfig } from './config.js';
import { gateExecutor } from './execute.js';
import { GatePayload, GateRequest } from './request.js';

const pii: Finding = {
  nodeId: 'scan',
  check: 'detector',
  name: 'email',
  severity: 'medium',
  path: '/to',
  message: 'email address',
  action: 'flag',
};

const config = GateConfig.parse({
  tiers: [
    { when: 'findings.exists(f, f.severity == "high")', tier: 'block', reason: 'high-severity finding' },
    { when: 'input.amount < 100.0', tier: 'auto', reason: 'small refunds' },
    { when: 'findings.size() > 0', tier: 'review', reason: 'personal data found' },
  ],
  defaultTier: 'review',
  quorum: 2,
  summary: 'Refund {{ input.amount }}',
  show: [{ label: 'Amount', value: 'input.amount' }],
  expiry: {
    afterMs: 3_600_000,
    onExpiry: 'escalate',
    escalateTo: { roles: ['owner'] },
    remindAfterMs: 600_000,
  },
});

function run(input: unknown, findings: Finding[] = [], cfg = config) {
  const { ctx } = testContext({ config: cfg, input });
  return gateExecutor.execute({ ...ctx, findings });
}

describe('gate executor', () => {
  test('auto: continues on approved with the data and records the rule', () => {
    expect(run({ amount: 12.5 })).toEqual({
      output: { amount: 12.5 },
      ports: ['approved'],
      details: {
        tier: 'auto',
        decision: 'auto',
        rule: { index: 1, when: 'input.amount < 100.0', reason: 'small refunds' },
      },
    });
  });

  test('block: fails the step with the rule’s reason (first match wins)', () => {
    expect(() => run({ amount: 1.0 }, [{ ...pii, severity: 'high' }])).toThrow(
      expect.objectContaining({ code: 'GATE_BLOCKED', message: 'blocked: high-severity finding' }),
    );
  });

  test('review: waits with what the reviewer is shown and everything the decision needs', () => {
    const result = run({ amount: 500.0 }, [pii]) as StepWait;
    expect(result.wait.kind).toBe('gate');
    expect(GatePayload.parse(result.wait.payload)).toEqual({
      summary: 'Refund 500',
      shown: [{ label: 'Amount', value: 500 }],
      input: { amount: 500.0 },
    });
    const request = GateRequest.parse(result.wait.request);
    expect(request).toMatchObject({
      rule: { index: 2, reason: 'personal data found' },
      approvers: { roles: ['reviewer'], users: [] },
      quorum: 2,
      expiry: { onExpiry: 'escalate', escalateTo: { roles: ['owner'], users: [] } },
    });
    // The first thing due is the reminder.
    expect(result.wait.expiresAt?.toISOString()).toBe(request.expiry.remindAt);
    expect(result.details).toMatchObject({ tier: 'review' });
  });

  test('default tier when no rule holds; a rule that cannot be evaluated fails the step', () => {
    expect((run({ amount: 500.0 }) as StepWait).wait.request).toMatchObject({ rule: { index: null } });
    const broken = GateConfig.parse({
      tiers: [{ when: 'input.missing.deeper > 1', tier: 'auto', reason: 'x' }],
    });
    expect(() => run({ amount: 1 }, [], broken)).toThrow(StepError);
    expect(() => run({ amount: 1 }, [], broken)).toThrow(
      expect.objectContaining({ code: 'GATE_RULE_FAILED' }),
    );
  });

  test('tier rules read run metadata: who started the run and the tokens it used', () => {
    const byRun = GateConfig.parse({
      tiers: [
        { when: 'run.tokens > 50000', tier: 'block', reason: 'a runaway run' },
        { when: 'run.initiatedBy == ""', tier: 'review', reason: 'started by a machine' },
      ],
      defaultTier: 'auto',
    });
    const withRun = (initiatedBy: string, tokens: number) => {
      const { ctx } = testContext({ config: byRun, input: { amount: 1 } });
      const meta = { id: 'r1', workflowId: 'w1', version: 3, initiatedBy, tokens };
      return () => gateExecutor.execute({ ...ctx, run: meta });
    };
    expect(withRun('user-1', 60_000)).toThrow(/a runaway run/);
    expect(withRun('', 10)()).toMatchObject({ wait: { kind: 'gate' } });
    expect(withRun('user-1', 10)()).toMatchObject({ ports: ['approved'] });
  });
});
