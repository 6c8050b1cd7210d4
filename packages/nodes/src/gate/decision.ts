// The gate's decision logic as pure functions of (request, state, decision, people): who may decide,
// what a decision does to the state, and what expiry does. The API calls them under the run's lock
// (engine.resolveWait), so each sees the latest state and exactly one outcome is ever recorded; the
// property test in decision.test.ts drives them through thousands of interleavings.
import type { Role } from '@sluice/spec';
import type { ApproverSet, GateDecision, GateRequest, GateState } from './request.js';

/** A person as the decision logic sees them now: `role` null when they are no longer a member. */
export interface GateMember {
  userId: string;
  email: string | null;
  role: Role | null;
}

/** Who separation of duties may exclude, from the run and the workflow version it pins. */
export interface GateExclusions {
  /** The user who started the run (null: a webhook, a schedule, a token without a person). */
  initiatorId: string | null;
  /** Owners (team names, emails or user ids) of the steps that feed the gate. */
  upstreamOwners: readonly string[];
  /** Who published the version the run pins. */
  editorIds: readonly string[];
}

export type IneligibleCode = 'NOT_A_MEMBER' | 'NOT_AN_APPROVER' | 'INITIATOR' | 'UPSTREAM_OWNER' | 'EDITOR';

export type Eligibility = { eligible: true } | { eligible: false; code: IneligibleCode; reason: string };

/** Who may approve now: the escalation target once escalated, else the request's approvers. */
export function currentApprovers(request: GateRequest, state: GateState): ApproverSet {
  return state.approvers ?? request.approvers;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function names(member: GateMember, list: readonly string[]): boolean {
  return list.some(
    (entry) => same(entry, member.userId) || (member.email !== null && same(entry, member.email)),
  );
}

/**
 * Whether `member` may decide this review now, and if not, why (shown to them as is).
 *
 * @example
 * gateEligibility(request, state, { userId: 'u1', email: 'ann@x.test', role: 'reviewer' }, exclusions);
 * // { eligible: false, code: 'INITIATOR', reason: 'you started this run: ...' }
 */
export function gateEligibility(
  request: GateRequest,
  state: GateState,
  member: GateMember,
  exclusions: GateExclusions,
): Eligibility {
  if (member.role === null) {
    return { eligible: false, code: 'NOT_A_MEMBER', reason: 'you are not a member of this workspace' };
  }
  const sod = request.separationOfDuties;
  if (sod.excludeInitiator && exclusions.initiatorId !== null && member.userId === exclusions.initiatorId) {
    return {
      eligible: false,
      code: 'INITIATOR',
      reason: 'you started this run: separation of duties lets someone else approve it',
    };
  }
  if (sod.excludeUpstreamOwners && names(member, exclusions.upstreamOwners)) {
    return {
      eligible: false,
      code: 'UPSTREAM_OWNER',
      reason:
        'you own a step that feeds this gate: separation of duties lets someone else approve its output',
    };
  }
  if (sod.excludeEditors && exclusions.editorIds.includes(member.userId)) {
    return {
      eligible: false,
      code: 'EDITOR',
      reason: 'you published this version of the workflow: separation of duties lets someone else approve it',
    };
  }
  const approvers = currentApprovers(request, state);
  if (approvers.roles.includes(member.role) || names(member, approvers.users)) return { eligible: true };
  const who = [...approvers.roles.map((r) => `role ${r}`), ...approvers.users].join(', ') || 'nobody';
  return {
    eligible: false,
    code: 'NOT_AN_APPROVER',
    reason: `${state.escalated ? 'since the escalation, ' : ''}approvers are: ${who}; your role is ${member.role}`,
  };
}

/** Everything a decision is judged against, read under the run's lock. */
export interface GateView {
  request: GateRequest;
  state: GateState;
  /** The SHA-256 of what the review shows (the wait's payload hash). */
  payloadHash: string;
  exclusions: GateExclusions;
  /** The people who decided before, as they are now (role changes count). */
  memberOf(userId: string): GateMember | null;
}

/** The distinct people whose approval counts now: eligible now, and on exactly this payload. */
export function countedApprovers(view: GateView): string[] {
  const counted = new Set<string>();
  for (const d of view.state.decisions) {
    if (d.verdict !== 'approve' || d.payloadHash !== view.payloadHash || counted.has(d.userId)) continue;
    const member = view.memberOf(d.userId);
    if (member && gateEligibility(view.request, view.state, member, view.exclusions).eligible) {
      counted.add(d.userId);
    }
  }
  return [...counted];
}

export interface DecisionAttempt {
  member: GateMember;
  via: GateDecision['via'];
  verdict: GateDecision['verdict'];
  comment: string;
  /** The hash of the payload the decider was shown (sent by their client). */
  seenHash: string;
  at: Date;
}

export type RefusalCode =
  'STALE_PAYLOAD' | 'COMMENT_REQUIRED' | 'ALREADY_DECIDED' | 'CLOSED' | IneligibleCode;

export type DecideResult =
  | { ok: false; code: RefusalCode; message: string }
  | {
      ok: true;
      state: GateState;
      decision: GateDecision;
      /** Distinct eligible approvals on this payload, this decision included. */
      approvals: number;
      quorum: number;
      /** Set when this decision ends the review. */
      outcome?: 'approved' | 'rejected';
    };

/**
 * Applies one decision. Refused (nothing changes) when the decider saw other data, gives no reason
 * for a rejection, already decided, or may not decide; otherwise recorded. One eligible rejection
 * ends the review; approvals end it when `quorum` distinct eligible people approved this payload.
 *
 * @example
 * const result = decideGate(view, { member, via: { type: 'user', id: member.userId }, verdict: 'approve',
 *   comment: '', seenHash: view.payloadHash, at: new Date() });
 */
export function decideGate(view: GateView, attempt: DecisionAttempt): DecideResult {
  const { request, state } = view;
  if (state.outcome !== undefined) {
    return { ok: false, code: 'CLOSED', message: `this review is already ${state.outcome}` };
  }
  if (attempt.seenHash !== view.payloadHash) {
    return {
      ok: false,
      code: 'STALE_PAYLOAD',
      message: 'the data under review is not what you were shown (it changed since): reload and decide again',
    };
  }
  const comment = attempt.comment.trim();
  if (attempt.verdict === 'reject' && comment === '') {
    return { ok: false, code: 'COMMENT_REQUIRED', message: 'say why you reject: a comment is required' };
  }
  const eligibility = gateEligibility(request, state, attempt.member, view.exclusions);
  if (!eligibility.eligible) return { ok: false, code: eligibility.code, message: eligibility.reason };
  const earlier = state.decisions.find(
    (d) => d.userId === attempt.member.userId && d.payloadHash === view.payloadHash,
  );
  if (earlier) {
    return {
      ok: false,
      code: 'ALREADY_DECIDED',
      message: `you already decided (${earlier.verdict}) at ${earlier.at}: one person counts once`,
    };
  }
  const decision: GateDecision = {
    userId: attempt.member.userId,
    via: attempt.via,
    verdict: attempt.verdict,
    comment,
    payloadHash: view.payloadHash,
    at: attempt.at.toISOString(),
  };
  const next: GateState = { ...state, decisions: [...state.decisions, decision] };
  const approvals = countedApprovers({
    ...view,
    state: next,
    memberOf: withMember(view, attempt.member),
  }).length;
  if (attempt.verdict === 'reject') {
    return {
      ok: true,
      state: { ...next, outcome: 'rejected' },
      decision,
      approvals,
      quorum: request.quorum,
      outcome: 'rejected',
    };
  }
  if (approvals >= request.quorum) {
    return {
      ok: true,
      state: { ...next, outcome: 'approved' },
      decision,
      approvals,
      quorum: request.quorum,
      outcome: 'approved',
    };
  }
  return { ok: true, state: next, decision, approvals, quorum: request.quorum };
}

function withMember(view: GateView, member: GateMember): (userId: string) => GateMember | null {
  return (userId) => (userId === member.userId ? member : view.memberOf(userId));
}

export type ExpiryStep =
  /** Remind the approvers; the review now expires at `expiresAt`. */
  | { kind: 'remind'; state: GateState; expiresAt: Date }
  /** Hand the review to `to`; it expires again at `expiresAt`. */
  | { kind: 'escalate'; state: GateState; expiresAt: Date; to: ApproverSet }
  /** Over: nobody decided in time (a rejection). */
  | { kind: 'expire'; state: GateState };

/**
 * What the passing of time does to an open review: a due reminder first, then at the deadline an
 * escalation (once, when configured), else expiry as a rejection. Null when nothing is due.
 *
 * @example
 * expireGate(request, state, new Date()); // { kind: 'escalate', to: { roles: ['owner'], users: [] }, ... }
 */
export function expireGate(request: GateRequest, state: GateState, now: Date): ExpiryStep | null {
  if (state.outcome !== undefined) return null;
  const deadline = new Date(request.expiry.expiresAt);
  const due = state.escalatedUntil !== undefined ? new Date(state.escalatedUntil) : deadline;
  if (!state.reminded && request.expiry.remindAt !== undefined && !state.escalated) {
    const remindAt = new Date(request.expiry.remindAt);
    if (remindAt <= now && now < deadline)
      return { kind: 'remind', state: { ...state, reminded: true }, expiresAt: deadline };
  }
  if (now < due) return null;
  const target = request.expiry.escalateTo;
  if (request.expiry.onExpiry === 'escalate' && !state.escalated && target) {
    const expiresAt = new Date(now.getTime() + request.expiry.afterMs);
    return {
      kind: 'escalate',
      state: {
        ...state,
        escalated: true,
        reminded: true,
        approvers: target,
        escalatedUntil: expiresAt.toISOString(),
      },
      expiresAt,
      to: target,
    };
  }
  return { kind: 'expire', state: { ...state, outcome: 'expired' } };
}
