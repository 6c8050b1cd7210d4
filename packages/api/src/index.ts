export { appRouter, createCaller } from './root';
export type { AppRouter, RouterInputs, RouterOutputs } from './root';
export {
  type Actor,
  type ApiServices,
  type AuthedContext,
  type Context,
  createContextFactory,
  type Identity,
  type RequestInfo,
  type SessionReader,
  WORKSPACE_HEADER,
} from './context';
export { hashPassword } from './auth/password';
export {
  type Auth,
  type AuthOptions,
  CLIENT_IP_HEADER,
  createAuth,
  defaultSignInThrottle,
  deriveAuthSecret,
  SESSION_COOKIE,
  sessionReader,
  type SignInThrottle,
} from './auth/auth';
export { generateToken, hashToken, TOKEN_PREFIX } from './auth/api-tokens';
export { MembershipEvents, type MembershipChange } from './membership-events';
export {
  type Permission,
  permissions,
  permissionTable,
  roleCan,
  TokenAction,
  tokenActions,
} from './permissions';
export type { ProcedureMeta } from './init';
export type { RunEngine } from './run-engine';
export { approvalWaitPolicies } from './approvals/policies';
export { alertWebhookNotifier } from './approvals/alert-notifier';
export { ApprovalNotifier, type ApprovalNotice, type NotifierOptions } from './approvals/notifications';
