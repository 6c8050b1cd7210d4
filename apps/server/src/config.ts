import path from 'node:path';
import { z } from 'zod';

/** Every environment variable the server reads, parsed once at start with a clear error per bad value. */
export const ServerEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  SLUICE_DATA_DIR: z.string().min(1).optional(),
  SLUICE_MASTER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/=_-]{43,88}$/, 'must be 32 random bytes, base64 or base64url encoded')
    .optional(),
  /** PEM certificate chain file: with SLUICE_TLS_KEY, the server speaks HTTPS (and sends HSTS). */
  SLUICE_TLS_CERT: z.string().min(1).optional(),
  /** PEM private key file of SLUICE_TLS_CERT. */
  SLUICE_TLS_KEY: z.string().min(1).optional(),
  SLUICE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  SLUICE_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .refine(
      (value) => !URL.canParse(value) || ['', '/'].includes(new URL(value).pathname),
      'must be an origin, without a path',
    )
    .optional(),
});
export type ServerEnv = z.infer<typeof ServerEnv>;

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  masterKey: string | undefined;
  logLevel: ServerEnv['SLUICE_LOG_LEVEL'];
  /** The origin people open Sluice at (sign-in cookies and CSRF checks are bound to it). */
  publicUrl: string;
  /** Origins allowed to make state-changing requests: the public URL and, on loopback, its aliases. */
  trustedOrigins: string[];
  /** Certificate and key files (absolute paths) when the server speaks HTTPS. */
  tls: { certFile: string; keyFile: string } | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  const parsed = ServerEnv.safeParse(
    Object.fromEntries(Object.entries(env).filter(([key, value]) => key in ServerEnv.shape && value !== '')),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid environment:\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.SLUICE_TLS_CERT === undefined) !== (e.SLUICE_TLS_KEY === undefined)) {
    throw new ConfigError(
      'invalid environment:\n  SLUICE_TLS_CERT and SLUICE_TLS_KEY must be set together (or neither)',
    );
  }
  const tls =
    e.SLUICE_TLS_CERT && e.SLUICE_TLS_KEY
      ? { certFile: path.resolve(cwd, e.SLUICE_TLS_CERT), keyFile: path.resolve(cwd, e.SLUICE_TLS_KEY) }
      : undefined;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(cwd, e.SLUICE_DATA_DIR ?? '.sluice'),
    masterKey: e.SLUICE_MASTER_KEY,
    logLevel: e.SLUICE_LOG_LEVEL,
    tls,
    ...publicOrigins(e.SLUICE_PUBLIC_URL ?? `${tls ? 'https' : 'http'}://localhost:${e.PORT}`),
  };
}

const loopbackHosts = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The public origin and the origins trusted for writes. On a loopback host the other loopback
 * names with the same scheme and port are trusted too (`localhost` and `127.0.0.1` are the same
 * server to the person at the keyboard); anywhere else only the public origin is.
 *
 * @example
 * publicOrigins('http://localhost:3000').trustedOrigins
 * // ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']
 */
export function publicOrigins(publicUrl: string): { publicUrl: string; trustedOrigins: string[] } {
  const url = new URL(publicUrl);
  const origin = url.origin;
  if (!loopbackHosts.includes(url.hostname)) return { publicUrl: origin, trustedOrigins: [origin] };
  const aliases = loopbackHosts.map((host) => `${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`);
  return { publicUrl: origin, trustedOrigins: [origin, ...aliases.filter((alias) => alias !== origin)] };
}
