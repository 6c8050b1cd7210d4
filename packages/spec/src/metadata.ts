import { z } from 'zod';
import { TeamName } from './ids.js';

/**
 * What a workflow is called, who owns it and which published version this is (set at publish).
 *
 * @example
 * WorkflowMetadata.parse({ name: 'Ticket triage', ownerTeam: 'support' });
 */
export const WorkflowMetadata = z.object({
  name: z.string().trim().min(1, 'a workflow needs a name').max(120),
  description: z.string().max(4000).default(''),
  ownerTeam: TeamName,
  version: z.number().int().positive().optional(),
});
export type WorkflowMetadata = z.infer<typeof WorkflowMetadata>;
