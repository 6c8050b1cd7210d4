// Values encrypted at rest (confidential and restricted step data, sealed by the engine's store with
// the workspace's data key) are opened here, and only for a caller the procedure has already found
// allowed to read them; everyone else gets the masked shape without anything being decrypted.
import type { DataSealer } from '@sluice/db';
import type { AuthedContext } from './context';
import { maskValue } from './routers/run-detail';

/** What the API needs of the vault's data sealer. */
export type ApiSealer = Pick<DataSealer, 'open' | 'isSealed'>;

const ENCRYPTED = '[encrypted at rest]';

/** Whether a stored value is sealed. */
export function isSealedValue(value: unknown): boolean {
  return value !== null && typeof value === 'object' && '$sealed' in value;
}

/**
 * The value as a caller may see it: opened when sealed and `allowed`, masked (keys kept, values
 * hidden) when not allowed. A sealed value this server has no key for reads as a marker string.
 */
export async function readable(ctx: AuthedContext, value: unknown, allowed: boolean): Promise<unknown> {
  if (!isSealedValue(value)) return allowed ? value : maskValue(value);
  if (!allowed) return ENCRYPTED;
  const sealer = ctx.services.sealer;
  if (!sealer?.isSealed(value)) return ENCRYPTED;
  return sealer.open(ctx.actor.workspaceId, value);
}
