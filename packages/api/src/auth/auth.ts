// Sign-in with email and password through better-auth (STACK.md): sessions in the database, a
// `__Host-` cookie, no sign-up (an owner invites members), throttled sign-in.
import { hkdfSync } from 'node:crypto';
import { consumeRateLimit, type Database, type RateLimitRule } from '@sluice/db';
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import type { SessionReader } from '../context';

/** The session cookie: `__Host-` binds it to this exact origin (Secure, Path=/, no Domain). */
export const SESSION_COOKIE = '__Host-sluice.session';

/**
 * The header better-auth reads the client address from. The server sets it from the socket and
 * drops any value a client sent, so it cannot be forged to dodge the per-IP limit.
 */
export const CLIENT_IP_HEADER = 'x-sluice-client-ip';

export interface SignInThrottle {
  /** Sign-in attempts per client address. */
  perIp: RateLimitRule;
  /** Sign-in attempts per email address, from anywhere. */
  perEmail: RateLimitRule;
}

export const defaultSignInThrottle: SignInThrottle = {
  perIp: { window: 60, max: 20 },
  perEmail: { window: 15 * 60, max: 10 },
};

export interface AuthOptions {
  db: Database;
  /** From {@link deriveAuthSecret}; never a constant. */
  secret: string;
  /** The public URL people open, e.g. `http://localhost:3000`. */
  baseURL: string;
  /** Origins allowed to post to /api/auth (the public URL and its loopback aliases). */
  trustedOrigins: string[];
  throttle?: SignInThrottle;
  /** Session lifetime in seconds (default 12 hours). */
  sessionSeconds?: number;
}

/**
 * better-auth's secret (cookie signatures, tokens), derived from the master key with HKDF-SHA-256
 * under a label of its own, so it is independent of every other key derived from the master key.
 *
 * @example
 * const secret = deriveAuthSecret(masterKey.key);
 */
export function deriveAuthSecret(masterKey: Uint8Array): string {
  if (masterKey.length < 32) throw new Error('the master key must be at least 32 bytes');
  const derived = hkdfSync('sha256', masterKey, new Uint8Array(0), 'sluice/better-auth-secret/v1', 32);
  return Buffer.from(derived).toString('base64url');
}

/**
 * The better-auth instance: mount `auth.handler` at `/api/auth/*`.
 *
 * @example
 * const auth = createAuth({ db, secret, baseURL: 'http://localhost:3000', trustedOrigins });
 * app.on(['GET', 'POST'], '/api/auth/*', (c) => auth.handler(c.req.raw));
 */
export function createAuth(options: AuthOptions) {
  const throttle = options.throttle ?? defaultSignInThrottle;
  const prisma = options.db.prisma;
  return betterAuth({
    appName: 'Sluice',
    baseURL: options.baseURL,
    basePath: '/api/auth',
    secret: options.secret,
    trustedOrigins: options.trustedOrigins,
    database: prismaAdapter(prisma, { provider: 'postgresql' }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 12,
      maxPasswordLength: 128,
      revokeSessionsOnPasswordReset: true,
    },
    session: {
      expiresIn: options.sessionSeconds ?? 12 * 60 * 60,
      updateAge: 60 * 60,
      // Every request reads the session row, so signing out (deleting it) takes effect at once.
      cookieCache: { enabled: false },
    },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      customStorage: { consume: (key, rule) => consumeRateLimit(prisma, `ip|${key}`, rule) },
      customRules: { '/sign-in/email': throttle.perIp },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-in/email') return;
        const email: unknown = ctx.body?.email;
        if (typeof email !== 'string') return;
        // Counted before the password is checked: parallel guesses cannot all slip through first.
        const key = `email|${email.trim().toLowerCase().slice(0, 320)}`;
        const decision = await consumeRateLimit(prisma, key, throttle.perEmail);
        if (!decision.allowed) {
          throw new APIError(
            'TOO_MANY_REQUESTS',
            { message: 'Too many sign-in attempts for this account. Try again later.' },
            { 'Retry-After': String(decision.retryAfter ?? throttle.perEmail.window) },
          );
        }
      }),
    },
    disabledPaths: ['/update-user', '/change-email', '/delete-user', '/link-social', '/unlink-account'],
    advanced: {
      cookiePrefix: 'sluice',
      // The prefix is written into the name below; better-auth's own `__Secure-` must stay off.
      useSecureCookies: false,
      cookies: { session_token: { name: SESSION_COOKIE } },
      defaultCookieAttributes: { secure: true, httpOnly: true, sameSite: 'strict', path: '/' },
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      database: { generateId: false },
    },
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** The session reader the tRPC context needs, from a better-auth instance. */
export function sessionReader(auth: Auth): SessionReader {
  return async (headers) => {
    const found = await auth.api.getSession({ headers, query: { disableRefresh: true } });
    if (!found) return null;
    return {
      user: { id: found.user.id, email: found.user.email, name: found.user.name },
      session: { id: found.session.id },
    };
  };
}
