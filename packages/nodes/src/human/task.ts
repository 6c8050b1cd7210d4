// A human task's stored request, state and payload, and the pure logic of answering it: only a
// member of the task's role (or, when people are named, one of them) may answer, on exactly the data
// they were shown, once; the answer must fit the form's JSON Schema and becomes the step's output.
import { Validator } from '@cfworker/json-schema';
import { canonicalJson, ObjectJsonSchema, Role, UserRef } from '@sluice/spec';
import { z } from 'zod';

const Iso = z.string().datetime({ offset: true });

/** What the human executor stores when it opens a task (`wait.request`). */
export const TaskRequest = z.object({
  role: Role,
  assignees: z.array(UserRef),
  form: ObjectJsonSchema,
  dueAt: Iso.optional(),
});
export type TaskRequest = z.infer<typeof TaskRequest>;

/** What the person is shown (the wait's payload): the answer is bound to its hash. */
export const TaskPayload = z.object({
  title: z.string(),
  instructions: z.string(),
  form: ObjectJsonSchema,
  input: z.unknown(),
});
export type TaskPayload = z.infer<typeof TaskPayload>;

/** The task's state (`wait.state`) once answered. */
export const TaskState = z.object({
  answeredBy: z
    .object({ userId: z.string(), via: z.object({ type: z.enum(['user', 'token']), id: z.string() }) })
    .optional(),
  answeredAt: Iso.optional(),
  payloadHash: z.string().optional(),
});
export type TaskState = z.infer<typeof TaskState>;

/** A person as the task sees them: `role` null when no longer a member. */
export interface TaskMember {
  userId: string;
  email: string | null;
  role: Role | null;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Whether `member` may answer: named assignees only, when the task names people; else anyone whose
 * role is the task's role.
 */
export function taskEligibility(
  request: TaskRequest,
  member: TaskMember,
): { eligible: true } | { eligible: false; reason: string } {
  if (member.role === null) return { eligible: false, reason: 'you are not a member of this workspace' };
  if (request.assignees.length > 0) {
    const named = request.assignees.some(
      (a) => same(a, member.userId) || (member.email !== null && same(a, member.email)),
    );
    return named
      ? { eligible: true }
      : { eligible: false, reason: 'this task is assigned to named people only' };
  }
  if (member.role === request.role) return { eligible: true };
  return { eligible: false, reason: `this task is for the ${request.role} role; yours is ${member.role}` };
}

const CACHE_SIZE = 128;
const validators = new Map<string, Validator>();

function validatorFor(form: TaskRequest['form']): Validator {
  const key = canonicalJson(form);
  let validator = validators.get(key);
  if (!validator) {
    validator = new Validator(structuredClone(form), '2020-12', false);
    if (validators.size >= CACHE_SIZE) validators.clear();
    validators.set(key, validator);
  }
  return validator;
}

/** Problems of an answer against the form: where and what (the answerer's own data, so shown as is). */
export function answerProblems(
  form: TaskRequest['form'],
  answer: unknown,
): { path: string; message: string }[] {
  const result = validatorFor(form).validate(answer);
  if (result.valid) return [];
  const leaves = result.errors.filter((e) => !['properties', 'items', 'allOf', '$ref'].includes(e.keyword));
  return (leaves.length > 0 ? leaves : result.errors).slice(0, 20).map((e) => ({
    path: e.instanceLocation.replace(/^#/, '') || '/',
    message: e.error,
  }));
}

export type AnswerResult =
  | {
      ok: false;
      code: 'STALE_PAYLOAD' | 'NOT_ELIGIBLE' | 'INVALID_ANSWER' | 'ALREADY_ANSWERED';
      message: string;
      problems?: { path: string; message: string }[];
    }
  | { ok: true; state: TaskState; output: unknown };

/**
 * Applies an answer: refused when the task was answered, the person saw other data, may not answer,
 * or the answer does not fit the form; otherwise the answer is the step's output.
 *
 * @example
 * answerTask(request, {}, hash, { answer: { approved: true }, member, via, seenHash: hash, at: new Date() });
 */
export function answerTask(
  request: TaskRequest,
  state: TaskState,
  payloadHash: string,
  attempt: {
    answer: unknown;
    member: TaskMember;
    via: { type: 'user' | 'token'; id: string };
    seenHash: string;
    at: Date;
  },
): AnswerResult {
  if (state.answeredBy)
    return { ok: false, code: 'ALREADY_ANSWERED', message: 'this task was already answered' };
  if (attempt.seenHash !== payloadHash) {
    return {
      ok: false,
      code: 'STALE_PAYLOAD',
      message: 'the task is not what you were shown (it changed since): reload it',
    };
  }
  const eligibility = taskEligibility(request, attempt.member);
  if (!eligibility.eligible) return { ok: false, code: 'NOT_ELIGIBLE', message: eligibility.reason };
  const problems = answerProblems(request.form, attempt.answer);
  if (problems.length > 0) {
    return {
      ok: false,
      code: 'INVALID_ANSWER',
      message: `the answer does not fit the form: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    };
  }
  return {
    ok: true,
    output: attempt.answer,
    state: {
      answeredBy: { userId: attempt.member.userId, via: attempt.via },
      answeredAt: attempt.at.toISOString(),
      payloadHash,
    },
  };
}
