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
  SLUICE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});
export type ServerEnv = z.infer<typeof ServerEnv>;

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  masterKey: string | undefined;
  logLevel: ServerEnv['SLUICE_LOG_LEVEL'];
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
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(cwd, e.SLUICE_DATA_DIR ?? '.sluice'),
    masterKey: e.SLUICE_MASTER_KEY,
    logLevel: e.SLUICE_LOG_LEVEL,
  };
}
