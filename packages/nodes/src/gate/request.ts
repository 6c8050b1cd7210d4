// What a gate under review stores (the wait's `request` and `state`, and what its reviewers are
// shown), as zod schemas: the decision logic re-parses them from the database every time.
import { Role, UserRef } from '@sluice/spec';
import { z } from 'zod';

const Iso = z.string().datetime({ offset: true });

/** Who may approve: roles and/or named people (email or user id). */
export const ApproverSet = z.object({ roles: z.array(Role), users: z.array(UserRef) });
export type ApproverSet = z.infer<typeof ApproverSet>;

/** What the gate executor stores when it opens a review (`wait.request`). */
export const GateRequest = z.object({
  /** The rule that sent the data to review (index null: the default tier). */
  rule: z.object({ index: z.number().int().nullable(), when: z.string().nullable(), reason: z.string() }),
  approvers: ApproverSet,
  quorum: z.number().int().min(1),
  separationOfDuties: z.object({
    excludeInitiator: z.boolean(),
    excludeUpstreamOwners: z.boolean(),
    excludeEditors: z.boolean().default(false),
  }),
  expiry: z.object({
    /** When the review expires (its deadline, reminders aside). */
    expiresAt: Iso,
    afterMs: z.number().int().positive(),
    onExpiry: z.enum(['reject', 'escalate']),
    escalateTo: ApproverSet.optional(),
    /** When to remind the approvers, if before the deadline. */
    remindAt: Iso.optional(),
  }),
});
export type GateRequest = z.infer<typeof GateRequest>;

/** One person's decision, bound to the hash of exactly what they were shown. */
export const GateDecision = z.object({
  /** The person (a user id): a token decides as the member who created it. */
  userId: z.string(),
  via: z.object({ type: z.enum(['user', 'token']), id: z.string() }),
  verdict: z.enum(['approve', 'reject']),
  comment: z.string(),
  payloadHash: z.string(),
  at: Iso,
});
export type GateDecision = z.infer<typeof GateDecision>;

/** The review's state (`wait.state`): decisions so far, escalation and reminder. */
export const GateState = z.object({
  decisions: z.array(GateDecision).default([]),
  /** After an escalation: who may approve now (replaces the request's approvers). */
  approvers: ApproverSet.optional(),
  escalated: z.boolean().default(false),
  /** The escalated review's deadline. */
  escalatedUntil: Iso.optional(),
  reminded: z.boolean().default(false),
  /** Set once, when the review is over. */
  outcome: z.enum(['approved', 'rejected', 'expired']).optional(),
});
export type GateState = z.infer<typeof GateState>;

/** What the reviewer is shown: the wait's payload (its SHA-256 binds every decision). */
export const GatePayload = z.object({
  summary: z.string(),
  shown: z.array(z.object({ label: z.string(), value: z.unknown() })),
  /** The data itself: exactly this continues on `approved`, so an approval covers nothing else. */
  input: z.unknown(),
});
export type GatePayload = z.infer<typeof GatePayload>;
