import { z } from 'zod';

/** Node ids as the spec stores them: short, stable, safe in paths, URLs and logs. */
export const NODE_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
export const NodeId = z
  .string()
  .regex(NODE_ID_PATTERN, 'ids start with a letter or _ and use letters, digits, _ or -');
export type NodeId = z.infer<typeof NodeId>;

/** Port names: what edges attach to (`in`, `out`, `approved`, a branch case...). */
export const PORT_NAME_PATTERN = /^[a-z][A-Za-z0-9_]{0,31}$/;
export const PortName = z.string().regex(PORT_NAME_PATTERN, 'port names start with a lower-case letter');
export type PortName = z.infer<typeof PortName>;

/** A reference to a workspace credential by name; the secret itself never enters a spec. */
export const CredentialRef = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'a credential reference is the name of a stored credential');
export type CredentialRef = z.infer<typeof CredentialRef>;

/** A team that owns a stage (`support`, `legal`, `finance-ops`). */
export const TeamName = z.string().max(80).regex(/\S/, 'an owner team is required');
export type TeamName = z.infer<typeof TeamName>;
