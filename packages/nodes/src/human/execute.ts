// The human executor (pure: run inline by the engine): opens a task for a role that waits without a
// worker; the API applies the answer (task.ts) under the run's lock and it becomes the step's output.
import { renderTemplate } from '@sluice/spec';
import { type Executor, StepError, type StepWait } from '../executor.js';
import type { HumanConfig } from './definition.js';
import type { TaskPayload, TaskRequest } from './task.js';

/** Renders the instructions over the input and opens the task (due after `dueInMs`, if set). */
export const humanExecutor: Executor<HumanConfig> = {
  kind: 'human',
  pure: true,
  execute(ctx): StepWait {
    const { config } = ctx;
    const rendered = renderTemplate(
      config.instructions,
      { input: ctx.input, inputs: ctx.inputs, findings: ctx.findings, run: ctx.run },
      { types: ctx.types },
    );
    if (!rendered.ok) throw new StepError('EXPRESSION_FAILED', `instructions: ${rendered.problem.message}`);
    const dueAt = config.dueInMs !== undefined ? new Date(Date.now() + config.dueInMs) : undefined;
    const payload: TaskPayload = {
      title: config.title,
      instructions: rendered.value,
      form: config.form,
      input: ctx.input,
    };
    const request: TaskRequest = {
      role: config.role,
      assignees: [...config.assignees],
      form: config.form,
      ...(dueAt ? { dueAt: dueAt.toISOString() } : {}),
    };
    return { wait: { kind: 'human', payload, request, ...(dueAt ? { expiresAt: dueAt } : {}) } };
  },
};
