import { Classification, Role, UserRef } from '@sluice/spec';
import { z } from 'zod';
import { CelExpression, DurationMs, Template } from '../shared/schemas.js';

export const Tier = z.enum(['auto', 'review', 'block']);
export type Tier = z.infer<typeof Tier>;

export const TierRule = z.strictObject({
  when: CelExpression,
  tier: Tier,
  reason: z.string().trim().min(1, 'say why this rule exists').max(400),
});
export type TierRule = z.infer<typeof TierRule>;

const unique = <T>(list: readonly T[]): boolean => new Set(list).size === list.length;

export const Approvers = z.strictObject({
  roles: z.array(Role).refine(unique, 'a role is listed twice').default(['reviewer']),
  users: z.array(UserRef).max(50).refine(unique, 'a user is listed twice').default([]),
});
export type Approvers = z.infer<typeof Approvers>;

/**
 * An approval gate: ordered tier rules (the first whose `when` holds decides: `auto` continues,
 * `review` asks approvers, `block` rejects), a default tier, approvers and a quorum, separation of
 * duties, expiry with reject or escalate, what the reviewer is shown, and an optional label the data
 * is declassified to once approved.
 */
export const GateConfig = z.strictObject({
  tiers: z.array(TierRule).max(50).default([]),
  defaultTier: Tier.default('review'),
  approvers: Approvers.default({ roles: ['reviewer'], users: [] }),
  quorum: z.number().int().min(1).max(20).default(1),
  separationOfDuties: z
    .strictObject({
      /** The person who started the run cannot approve it. */
      excludeInitiator: z.boolean().default(true),
      /** Owners of the upstream step cannot approve its output. */
      excludeUpstreamOwners: z.boolean().default(true),
      /** Whoever published the workflow version the run pins cannot approve its runs. */
      excludeEditors: z.boolean().default(false),
    })
    .default({ excludeInitiator: true, excludeUpstreamOwners: true, excludeEditors: false }),
  expiry: z
    .strictObject({
      afterMs: DurationMs.default(72 * 3_600_000),
      onExpiry: z.enum(['reject', 'escalate']).default('reject'),
      escalateTo: Approvers.optional(),
      /** A reminder to the approvers this long after the request opened (before it expires). */
      remindAfterMs: DurationMs.optional(),
    })
    .default({ afterMs: 72 * 3_600_000, onExpiry: 'reject' }),
  summary: Template.default(''),
  show: z
    .array(z.strictObject({ label: z.string().trim().min(1).max(80), value: CelExpression }))
    .max(20)
    .default([]),
  declassifyTo: Classification.optional(),
});
export type GateConfig = z.infer<typeof GateConfig>;
