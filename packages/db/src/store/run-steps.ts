// A run's steps for readers outside the engine (the API's run view and step inspector), wherever
// they are kept: rows of `steps`, or the step set of a run that finished at its start (sql.ts).
import type { PrismaClient, Step } from '../generated/prisma/client';
import { STEPS_OF_RUNS } from './sql';

const AS_STEP = `SELECT run_id AS "runId", node_id AS "nodeId", status::text AS status, attempt, input, output,
  error, ports, meta, lease_owner AS "leaseOwner", lease_token AS "leaseToken",
  lease_expires_at AS "leaseExpiresAt", available_at AS "availableAt", created_at AS "createdAt",
  started_at AS "startedAt", finished_at AS "finishedAt"
  FROM (${STEPS_OF_RUNS}) s`;

/** Every step of a run, in the order they were created (then by node id). */
export function readRunSteps(prisma: PrismaClient, runId: string): Promise<Step[]> {
  return prisma.$queryRawUnsafe<Step[]>(`${AS_STEP} ORDER BY s.created_at, s.node_id`, [runId]);
}

/** One step of a run, or null when the run has no such step. */
export async function readRunStep(prisma: PrismaClient, runId: string, nodeId: string): Promise<Step | null> {
  const rows = await prisma.$queryRawUnsafe<Step[]>(`${AS_STEP} WHERE s.node_id = $2`, [runId], nodeId);
  return rows[0] ?? null;
}
