import { z } from 'zod';

/**
 * Workspace roles (DESIGN §5). `owner` may do everything, `editor` designs, `operator` runs,
 * `reviewer` approves, `auditor` reads everything and changes nothing.
 *
 * @example
 * Role.parse('reviewer');
 */
export const Role = z.enum(['owner', 'editor', 'operator', 'reviewer', 'auditor']);
export type Role = z.infer<typeof Role>;

/** A de-duplicated list of roles. */
export const RoleList = z
  .array(Role)
  .max(5)
  .refine((roles) => new Set(roles).size === roles.length, { message: 'a role is listed twice' });
export type RoleList = z.infer<typeof RoleList>;

/**
 * Who may do what with a workflow: start runs, approve at gates, operate runs, read the audit trail.
 *
 * @example
 * Access.parse({ trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] });
 */
export const Access = z.object({
  trigger: RoleList,
  approve: RoleList,
  operate: RoleList,
  audit: RoleList,
});
export type Access = z.infer<typeof Access>;

/** A user reference in approver lists: an email address or a user id. */
export const UserRef = z
  .string()
  .min(1)
  .max(254)
  .regex(/^[^\s]+$/, 'a user is an email address or a user id, without spaces');
export type UserRef = z.infer<typeof UserRef>;
