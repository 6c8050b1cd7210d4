// The enum values of schema.prisma as plain lists, for zod schemas and UIs. Tied to Prisma's types
// with `satisfies` and an exhaustiveness check over type-only imports (CONVENTIONS 2): adding a value
// to schema.prisma without adding it here fails the type check, and importing this loads no Prisma.
import type {
  AlertSeverity as PrismaAlertSeverity,
  MembershipRole as PrismaMembershipRole,
  RunStatus as PrismaRunStatus,
  StepStatus as PrismaStepStatus,
} from './generated/prisma/enums';

/** Compiles only when `Listed` covers every member of `All`; otherwise names what is missing. */
type Covers<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;

/**
 * Workspace roles, from most to least powerful.
 *
 * @example
 * const Role = z.enum(membershipRoles);
 */
export const membershipRoles = [
  'owner',
  'editor',
  'operator',
  'reviewer',
  'auditor',
] as const satisfies readonly PrismaMembershipRole[];
export type MembershipRole = (typeof membershipRoles)[number];
const _rolesCovered: Covers<PrismaMembershipRole, MembershipRole> = true;

/**
 * Run states.
 *
 * @example
 * const finished = runStatuses.filter((s) => s === 'succeeded' || s === 'failed' || s === 'cancelled');
 */
export const runStatuses = [
  'pending',
  'running',
  'waiting',
  'succeeded',
  'failed',
  'cancelled',
] as const satisfies readonly PrismaRunStatus[];
export type RunStatus = (typeof runStatuses)[number];
const _runStatusesCovered: Covers<PrismaRunStatus, RunStatus> = true;

/**
 * Step states (DESIGN §4): pending → ready → running → succeeded | failed | waiting | skipped |
 * cancelled; succeeded → compensated by rollback.
 *
 * @example
 * const StepStatus = z.enum(stepStatuses);
 */
export const stepStatuses = [
  'pending',
  'ready',
  'running',
  'succeeded',
  'failed',
  'waiting',
  'skipped',
  'cancelled',
  'compensated',
] as const satisfies readonly PrismaStepStatus[];
export type StepStatus = (typeof stepStatuses)[number];
const _stepStatusesCovered: Covers<PrismaStepStatus, StepStatus> = true;

/**
 * How urgent an alert is.
 *
 * @example
 * const AlertSeverity = z.enum(alertSeverities);
 */
export const alertSeverities = [
  'info',
  'warning',
  'critical',
] as const satisfies readonly PrismaAlertSeverity[];
export type AlertSeverity = (typeof alertSeverities)[number];
const _alertSeveritiesCovered: Covers<PrismaAlertSeverity, AlertSeverity> = true;
