// `npm run bench -- engine`: chain10, chain100 and fan50 over HTTP (webhook answering on completion)
// and in process, on a fresh embedded PostgreSQL with synchronous_commit on. Every step durable.
// Knobs (env): ENGINE_WORKLOADS="chain10 fan50", ENGINE_MODES="http inprocess", ENGINE_DURATION_S=15.
import { randomBytes } from 'node:crypto';
import { progress, report } from './compile-stats.js';
import { openBenchDatabase } from './engine/database.js';
import { benchHttp, startBenchServer } from './engine/http.js';
import { benchInProcess, openInProcessEngine } from './engine/inprocess.js';

export async function runEngineBench(): Promise<void> {
  const only = (process.env.ENGINE_WORKLOADS ?? 'chain10 chain100 fan50').split(/\s+/).filter(Boolean);
  const modes = (process.env.ENGINE_MODES ?? 'http inprocess').split(/\s+/).filter(Boolean);
  const durationS = Number(process.env.ENGINE_DURATION_S ?? 15);
  progress('engine: starting an embedded PostgreSQL…');
  const db = await openBenchDatabase();
  const secret = randomBytes(32).toString('hex');
  try {
    const selected = [...db.published.values()].filter((p) => only.includes(p.workload.id));
    if (modes.includes('http')) {
      const server = await startBenchServer(db, secret);
      try {
        for (const { workflowId, workload } of selected) {
          const result = await benchHttp(server, workflowId, workload, secret, { durationS });
          report({ workload: workload.id, mode: 'http', ...result });
        }
      } finally {
        await server.stop();
      }
    }
    if (modes.includes('inprocess')) {
      const { engine, close } = await openInProcessEngine(db);
      try {
        for (const { versionId, workload } of selected) {
          const result = await benchInProcess(engine, versionId, workload, {
            durationS: Math.min(durationS, 10),
          });
          report({ workload: workload.id, mode: 'inprocess', ...result });
        }
      } finally {
        await close();
      }
    }
  } finally {
    await db.stop();
  }
}
