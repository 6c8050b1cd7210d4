// Agent tokens: `slk_` + 32 random bytes (base64url). Only the SHA-256 of the whole string is
// stored; 256 bits of randomness make a fast hash safe here (no password stretching is needed).
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '@sluice/db';
import type { Identity } from '../context';
import { TokenAction } from '../permissions';

export const TOKEN_PREFIX = 'slk_';
/** How many leading characters of a token are kept to recognise it in a list. */
const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 6;

/** SHA-256 (hex) of a token string. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * A new token: the secret (shown once), its hash (stored) and its recognisable prefix.
 *
 * @example
 * const { token, hash, prefix } = generateToken(); // token 'slk_4f…', prefix 'slk_4fA1b2'
 */
export function generateToken(): { token: string; hash: string; prefix: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token), prefix: token.slice(0, SHOWN_PREFIX_LENGTH) };
}

/**
 * The identity a bearer token stands for. A token that exists but is revoked or expired is
 * `refused-token` (the caller audits and alerts); anything else unknown is anonymous.
 */
export async function resolveToken(prisma: Database['prisma'], token: string, now: Date): Promise<Identity> {
  if (!token.startsWith(TOKEN_PREFIX)) return { kind: 'anonymous' };
  const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row) return { kind: 'anonymous' };
  if (row.revokedAt !== null)
    return { kind: 'refused-token', tokenId: row.id, workspaceId: row.workspaceId, reason: 'revoked' };
  if (row.expiresAt.getTime() <= now.getTime())
    return { kind: 'refused-token', tokenId: row.id, workspaceId: row.workspaceId, reason: 'expired' };
  // Stored actions are re-validated: a value no longer grantable is dropped, never trusted.
  const actions = row.actions.flatMap((action) => {
    const parsed = TokenAction.safeParse(action);
    return parsed.success ? [parsed.data] : [];
  });
  return {
    kind: 'actor',
    actor: {
      type: 'token',
      id: row.id,
      name: row.name,
      workspaceId: row.workspaceId,
      actions,
      workflowIds: row.workflowIds,
      expiresAt: row.expiresAt,
    },
  };
}
