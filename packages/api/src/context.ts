import type { CredentialVaultService, Database, MembershipRole } from '@sluice/db';
import { resolveToken } from './auth/api-tokens';
import { MembershipEvents } from './membership-events';
import type { TokenAction } from './permissions';
import type { RunEngine } from './run-engine';
import type { ApiSealer } from './sealed';

/** Who is calling: a signed-in member acting in one workspace, or an agent token of one workspace. */
export type Actor =
  | {
      type: 'user';
      /** The user id. */
      id: string;
      email: string;
      name: string;
      sessionId: string;
      workspaceId: string;
      role: MembershipRole;
    }
  | {
      type: 'token';
      /** The token id (never its secret). */
      id: string;
      name: string;
      workspaceId: string;
      actions: readonly TokenAction[];
      /** When not empty, the only workflows the token may touch. */
      workflowIds: readonly string[];
      /**
       * After this instant the token is refused, also by a subscription it opened before. Always set
       * for a token resolved from a request.
       */
      expiresAt?: Date;
    };

/** What the request's credentials amount to, before any procedure looks at them. */
export type Identity =
  | { kind: 'anonymous' }
  | { kind: 'actor'; actor: Actor }
  /** A real token of `workspaceId` that may no longer be used; refusing it is audited and alerted. */
  | { kind: 'refused-token'; tokenId: string; workspaceId: string; reason: 'expired' | 'revoked' }
  /** Signed in, but not a member of the workspace asked for (or of any workspace). */
  | { kind: 'no-workspace'; userId: string };

/**
 * Process-wide services the procedures use. The credentials vault (issue 5's second half) is added
 * here as `vault`, next to the engine, so that no procedure reaches for a module-level singleton.
 */
export interface ApiServices {
  membershipEvents: MembershipEvents;
  /** The run engine; the run router answers PRECONDITION_FAILED for start/cancel without it. */
  engine?: RunEngine;
  /** The credentials vault; the credential router answers PRECONDITION_FAILED without it. */
  vault?: CredentialVaultService;
  /** Opens step data encrypted at rest for callers allowed to read it (see sealed.ts). */
  sealer?: ApiSealer;
}

/** What every procedure sees. */
export interface Context {
  db: Database;
  identity: Identity;
  services: ApiServices;
  /** The caller's address and user agent, recorded with audit events. */
  client: { ip: string | null; userAgent: string | null };
}

/** The session better-auth finds for a request's cookies, reduced to what the API needs. */
export type SessionReader = (
  headers: Headers,
) => Promise<{ user: { id: string; email: string; name: string }; session: { id: string } } | null>;

/** Header a member in several workspaces sets to choose one; without it, their oldest membership. */
export const WORKSPACE_HEADER = 'x-sluice-workspace';

export interface ContextFactoryOptions {
  db: Database;
  readSession: SessionReader;
  services?: Partial<ApiServices>;
}

export interface RequestInfo {
  headers: Headers;
  clientIp: string | null;
}

/**
 * Builds the per-request context: a bearer token (when an Authorization header is present, cookies
 * are ignored) or the better-auth session, resolved to an actor of exactly one workspace.
 *
 * @example
 * const createContext = createContextFactory({ db, readSession: (headers) => auth.api.getSession({ headers }) });
 * const ctx = await createContext({ headers: request.headers, clientIp: '127.0.0.1' });
 */
export function createContextFactory(
  options: ContextFactoryOptions,
): (request: RequestInfo) => Promise<Context> {
  const services: ApiServices = {
    membershipEvents: options.services?.membershipEvents ?? new MembershipEvents(),
    ...(options.services?.engine ? { engine: options.services.engine } : {}),
    ...(options.services?.vault ? { vault: options.services.vault } : {}),
    ...(options.services?.sealer ? { sealer: options.services.sealer } : {}),
  };
  return async ({ headers, clientIp }) => ({
    db: options.db,
    identity: await resolveIdentity(options.db, headers, options.readSession),
    services,
    client: { ip: clientIp, userAgent: headers.get('user-agent')?.slice(0, 300) ?? null },
  });
}

async function resolveIdentity(
  db: Database,
  headers: Headers,
  readSession: SessionReader,
): Promise<Identity> {
  const authorization = headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(authorization.trim());
    return match?.[1] ? resolveToken(db.prisma, match[1], new Date()) : { kind: 'anonymous' };
  }
  const found = await readSession(headers);
  if (!found) return { kind: 'anonymous' };
  const memberships = await db.prisma.membership.findMany({
    where: { userId: found.user.id },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { workspaceId: true, role: true },
  });
  const wanted = headers.get(WORKSPACE_HEADER);
  const chosen = wanted ? memberships.find((m) => m.workspaceId === wanted) : memberships[0];
  if (!chosen) return { kind: 'no-workspace', userId: found.user.id };
  return {
    kind: 'actor',
    actor: {
      type: 'user',
      id: found.user.id,
      email: found.user.email,
      name: found.user.name,
      sessionId: found.session.id,
      workspaceId: chosen.workspaceId,
      role: chosen.role,
    },
  };
}

/** The context inside a `permitted` procedure: the actor is known. */
export type AuthedContext = Context & { actor: Actor };
