import { z } from 'zod';
import { Classification } from './classification.js';
import { HumanStep } from './node-definition.js';
import { Role, UserRef } from './roles.js';

/**
 * One row of the ownership map the editor shows as a table: per stage, its owner team, who may start
 * the run, who approves (the stage's own approvers for a gate, else the approvers of the gates
 * upstream), who operates and audits, and where a person steps in.
 *
 * @example
 * result.ownership.find((row) => row.nodeId === 'refund-gate')?.human; // { type: 'approval', ... }
 */
export const OwnershipEntry = z.object({
  nodeId: z.string(),
  label: z.string(),
  kind: z.string(),
  owner: z.string(),
  trigger: z.array(Role),
  approve: z.object({ roles: z.array(Role), users: z.array(UserRef) }),
  operate: z.array(Role),
  audit: z.array(Role),
  /** Gates upstream of this stage (nearest first, at most 16). */
  guardedBy: z.array(z.string()),
  human: HumanStep.nullable(),
  classification: Classification,
  clearance: Classification,
});
export type OwnershipEntry = z.infer<typeof OwnershipEntry>;
