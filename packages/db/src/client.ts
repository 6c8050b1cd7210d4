import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { type DbLogger, silentLogger } from './logger';

export { PrismaClient };

/**
 * A Prisma client over node-postgres (Prisma 7 runs its query compiler in WASM; nothing is downloaded).
 *
 * @example
 * const prisma = createPrismaClient(url);
 * const count = await prisma.workspace.count();
 * await prisma.$disconnect();
 */
export function createPrismaClient(url: string): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, application_name: 'sluice' }),
    // Workspace audit events serialise on their workspace's chain head: under a burst (a hundred runs
    // started at once) a transaction may wait its turn for seconds. Prisma's defaults (2 s to get a
    // connection, 5 s per transaction) would fail it after its run had already started.
    transactionOptions: { maxWait: 15_000, timeout: 30_000 },
  });
}

/** What /healthz reports: no error text, which could tell an anonymous caller about the infrastructure. */
export interface DatabaseHealth {
  ok: boolean;
  latencyMs: number;
}

/**
 * A round trip to the database, for /healthz. Never throws; gives up after `timeoutMs` (2 s) and
 * tells `log` why it failed.
 *
 * @example
 * const health = await checkDatabase(db.prisma, { log }); // { ok: true, latencyMs: 0.8 }
 */
export async function checkDatabase(
  prisma: PrismaClient,
  { timeoutMs = 2_000, log = silentLogger }: { timeoutMs?: number; log?: DbLogger } = {},
): Promise<DatabaseHealth> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([prisma.$queryRaw`SELECT 1`, timeout]);
    return { ok: true, latencyMs: elapsed() };
  } catch (error) {
    log.warn(`database health check failed: ${error instanceof Error ? error.message : String(error)}`);
    return { ok: false, latencyMs: elapsed() };
  } finally {
    clearTimeout(timer);
  }
}
