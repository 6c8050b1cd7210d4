// The gate's server-only exports: the executor and the pure decision logic the API applies under the
// run's lock (approvals), with the schemas of what a review stores.
export { gateExecutor, reviewPayload, reviewRequest } from './execute.js';
export { chooseTier, type TierChoice } from './tiers.js';
export {
  countedApprovers,
  currentApprovers,
  type DecideResult,
  decideGate,
  type DecisionAttempt,
  type Eligibility,
  expireGate,
  type ExpiryStep,
  type GateExclusions,
  type GateMember,
  type GateView,
  gateEligibility,
  type IneligibleCode,
  type RefusalCode,
} from './decision.js';
export { ApproverSet, GateDecision, GatePayload, GateRequest, GateState } from './request.js';
