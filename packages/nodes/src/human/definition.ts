import { ObjectJsonSchema, Role, UserRef } from '@sluice/spec';
import { z } from 'zod';
import { defineNode } from '../define.js';
import { inPort, outPort } from '../shared/ports.js';
import { DurationMs, Template } from '../shared/schemas.js';

/** A task for a person of a role: instructions, and a form whose answer becomes the step's output. */
export const HumanConfig = z.strictObject({
  role: Role.default('operator'),
  assignees: z.array(UserRef).max(50).default([]),
  title: z.string().trim().min(1).max(200).default('Task'),
  instructions: Template.default(''),
  form: ObjectJsonSchema.default({ type: 'object', properties: { notes: { type: 'string' } } }),
  dueInMs: DurationMs.optional(),
});
export type HumanConfig = z.infer<typeof HumanConfig>;

export const humanNode = defineNode({
  kind: 'human',
  typeVersion: 1,
  title: 'Human task',
  description: 'Asks a person of a role to fill in a form; the answer is the step output.',
  category: 'human',
  configSchema: HumanConfig,
  defaultConfig: {
    role: 'operator',
    assignees: [],
    title: 'Task',
    instructions: '',
    form: { type: 'object', properties: { notes: { type: 'string' } } },
  },
  fields: [
    { key: 'title', label: 'Title', editor: 'text' },
    {
      key: 'role',
      label: 'Role',
      editor: 'select',
      options: Role.options.map((r) => ({ value: r, label: r })),
    },
    { key: 'assignees', label: 'Assign to', editor: 'users' },
    { key: 'instructions', label: 'Instructions', editor: 'template' },
    {
      key: 'form',
      label: 'Form',
      editor: 'json-schema',
      help: 'The answer’s JSON Schema: one field per property',
    },
    { key: 'dueInMs', label: 'Due in', editor: 'duration' },
  ],
  classification: { egress: () => false },
  inputs: () => [inPort()],
  outputs: (config) => [outPort('out', 'Answer', config.form)],
  expressions: (config) =>
    config.instructions === ''
      ? []
      : [{ path: ['config', 'instructions'], source: config.instructions, mode: 'template' }],
  checks: () => [],
  humans: (config) => ({ type: 'task', roles: [config.role], users: [...config.assignees], quorum: 1 }),
});
