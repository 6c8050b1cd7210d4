import { describe, expect, test } from 'vitest';
import { testContext } from '../testing/executor-context.js';
import { HumanConfig } from './definition.js';
import { humanExecutor } from './execute.js';
import { answerTask, TaskPayload, TaskRequest } from './task.js';

const H = 'a'.repeat(64);
const form = {
  type: 'object',
  properties: { approved: { type: 'boolean' }, note: { type: 'string', maxLength: 20 } },
  required: ['approved'],
  additionalProperties: false,
};
const request = TaskRequest.parse({ role: 'operator', assignees: [], form });
const opal = { userId: 'u1', email: 'opal@x.test', role: 'operator' as const };
const via = { type: 'user' as const, id: 'u1' };
const at = new Date('2026-01-01T00:00:00.000Z');

describe('human task', () => {
  test('the executor opens a task with rendered instructions, the form and the data', () => {
    const config = HumanConfig.parse({
      role: 'operator',
      title: 'Check',
      instructions: 'Look at {{ input.id }}',
      form,
      dueInMs: 60_000,
    });
    const { ctx } = testContext({ config, input: { id: 'T-1' } });
    const result = humanExecutor.execute(ctx);
    if (!('wait' in result)) throw new Error('expected a wait');
    expect(TaskPayload.parse(result.wait.payload)).toEqual({
      title: 'Check',
      instructions: 'Look at T-1',
      form,
      input: { id: 'T-1' },
    });
    expect(TaskRequest.parse(result.wait.request)).toMatchObject({ role: 'operator', form });
    expect(result.wait.expiresAt).toBeInstanceOf(Date);
  });

  test('a valid answer by a member of the role is the output', () => {
    const result = answerTask(request, {}, H, {
      answer: { approved: true },
      member: opal,
      via,
      seenHash: H,
      at,
    });
    expect(result).toEqual({
      ok: true,
      output: { approved: true },
      state: { answeredBy: { userId: 'u1', via }, answeredAt: at.toISOString(), payloadHash: H },
    });
    if (!result.ok) return;
    expect(
      answerTask(request, result.state, H, {
        answer: { approved: false },
        member: opal,
        via,
        seenHash: H,
        at,
      }),
    ).toMatchObject({
      ok: false,
      code: 'ALREADY_ANSWERED',
    });
  });

  test.each([
    [{ answer: { approved: 'yes' } }, 'INVALID_ANSWER'],
    [{ answer: { note: 'x' } }, 'INVALID_ANSWER'],
    [{ answer: { approved: true, extra: 1 } }, 'INVALID_ANSWER'],
    [{ answer: { approved: true }, seenHash: 'b'.repeat(64) }, 'STALE_PAYLOAD'],
    [{ answer: { approved: true }, member: { ...opal, role: 'reviewer' as const } }, 'NOT_ELIGIBLE'],
    [{ answer: { approved: true }, member: { ...opal, role: null } }, 'NOT_ELIGIBLE'],
  ])('refuses %j with %s', (attempt, code) => {
    const result = answerTask(request, {}, H, { member: opal, via, seenHash: H, at, ...attempt });
    expect(result).toMatchObject({ ok: false, code });
  });

  test('named assignees only, when the task names people', () => {
    const named = TaskRequest.parse({ role: 'operator', assignees: ['kim@x.test'], form });
    const kim = { userId: 'k', email: 'KIM@x.test', role: 'auditor' as const };
    expect(
      answerTask(named, {}, H, { answer: { approved: true }, member: opal, via, seenHash: H, at }),
    ).toMatchObject({ ok: false });
    expect(
      answerTask(named, {}, H, { answer: { approved: true }, member: kim, via, seenHash: H, at }),
    ).toMatchObject({ ok: true });
  });

  test('answer problems name where and what', () => {
    const result = answerTask(request, {}, H, {
      answer: { approved: true, note: 'x'.repeat(30) },
      member: opal,
      via,
      seenHash: H,
      at,
    });
    expect(result).toMatchObject({ ok: false, problems: [{ path: '/note' }] });
  });
});
