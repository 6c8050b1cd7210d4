import { z } from 'zod';

/**
 * How the inspector edits one config value. The web app renders every kind's form from these with
 * one generic renderer (CONVENTIONS 6).
 */
export const FieldEditor = z.enum([
  'text',
  'textarea',
  'number',
  'select',
  'toggle',
  'cel',
  'template',
  'json-schema',
  'json',
  'roles',
  'users',
  'tags',
  'list',
  'mapping',
  'key-value',
  'credential',
  'classification',
  'duration',
]);
export type FieldEditor = z.infer<typeof FieldEditor>;

export const FieldOption = z.object({
  value: z.union([z.string(), z.number(), z.boolean()]),
  label: z.string(),
});
export type FieldOption = z.infer<typeof FieldOption>;

/**
 * One inspector field. `key` is a dot path into the node's config (`approvers.roles`); `list` fields
 * describe their items with `itemFields` (keys relative to the item); `visibleWhen` hides a field
 * unless another key holds one of the given values.
 *
 * @example
 * InspectorField.parse({ key: 'prompt', label: 'Prompt', editor: 'template' });
 */
export const InspectorField = z.object({
  key: z.string().min(1),
  label: z.string().min(1),
  editor: FieldEditor,
  help: z.string().optional(),
  placeholder: z.string().optional(),
  required: z.boolean().optional(),
  options: z.array(FieldOption).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  visibleWhen: z
    .object({ key: z.string(), equals: z.array(z.union([z.string(), z.number(), z.boolean()])) })
    .optional(),
  get itemFields() {
    return z.array(InspectorField).optional();
  },
});
export type InspectorField = z.infer<typeof InspectorField>;
