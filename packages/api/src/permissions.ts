// The one permission table (DESIGN §5): which workspace roles hold which permission. Every procedure
// names one permission through `permitted(...)` in init.ts; nothing else decides who may do what.
import { type MembershipRole, membershipRoles } from '@sluice/db';
import { z } from 'zod';

const all = membershipRoles;

/** Every permission, in the order the table lists them. */
export const permissions = [
  'workspace:read',
  'member:read',
  'member:manage',
  'workflow:read',
  'workflow:edit',
  'workflow:publish',
  'run:start',
  'run:read',
  'run:operate',
  'approval:read',
  'approval:decide',
  'task:answer',
  'audit:read',
  'credential:read',
  'credential:manage',
  'token:read',
  'token:manage',
  'alert:read',
  'alert:ack',
] as const;
export type Permission = (typeof permissions)[number];

/**
 * Permission → the roles that hold it. `owner` holds everything; `auditor` reads everything and
 * changes nothing; `editor` designs, `operator` runs, `reviewer` approves.
 */
export const permissionTable = {
  'workspace:read': all,
  'member:read': all,
  'member:manage': ['owner'],
  'workflow:read': all,
  'workflow:edit': ['owner', 'editor'],
  'workflow:publish': ['owner', 'editor'],
  'run:start': ['owner', 'operator'],
  'run:read': all,
  'run:operate': ['owner', 'operator'],
  'approval:read': ['owner', 'operator', 'reviewer', 'auditor'],
  'approval:decide': ['owner', 'reviewer'],
  // Who may answer a human task at all; the task itself names the one role (or people) it is for.
  'task:answer': ['owner', 'editor', 'operator', 'reviewer'],
  'audit:read': ['owner', 'reviewer', 'auditor'],
  'credential:read': ['owner', 'editor', 'auditor'],
  'credential:manage': ['owner'],
  'token:read': ['owner', 'auditor'],
  'token:manage': ['owner'],
  'alert:read': ['owner', 'operator', 'auditor'],
  'alert:ack': ['owner', 'operator'],
} as const satisfies Record<Permission, readonly MembershipRole[]>;

/**
 * Whether `role` holds `permission`.
 *
 * @example
 * roleCan('auditor', 'workflow:edit') // false
 */
export function roleCan(role: MembershipRole, permission: Permission): boolean {
  const roles: readonly MembershipRole[] = permissionTable[permission];
  return roles.includes(role);
}

/** Every permission `role` holds, in table order. */
export function permissionsOf(role: MembershipRole): Permission[] {
  return permissions.filter((permission) => roleCan(role, permission));
}

/**
 * What an agent token may be granted. Managing members, tokens and credentials, designing and
 * publishing workflows stay with people: a leaked token cannot widen its own reach or change the
 * design. `approval:decide` is grantable but never implied: a token holding it decides as the member
 * who created it, under the same separation of duties (so it cannot approve its creator's own run).
 */
export const tokenActions = [
  'workspace:read',
  'workflow:read',
  'run:start',
  'run:read',
  'run:operate',
  'approval:read',
  'approval:decide',
  'audit:read',
  'alert:read',
] as const satisfies readonly Permission[];
export const TokenAction = z.enum(tokenActions);
export type TokenAction = z.infer<typeof TokenAction>;
