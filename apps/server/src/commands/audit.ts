import { createDataSealer, openDatabase, verifyAudit } from '@sluice/db';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { loadMasterKey } from '../master-key';
import type { Command } from './index';

const usage = 'audit verify [--run ID] [--json]';

/**
 * `sluice audit verify`: recomputes every run's hash chain and every workspace's own chain, and the
 * hashes events recorded of step outputs and run inputs and outputs; names the first broken link of
 * each chain. Exits 1 when anything is broken.
 */
export const auditCommand: Command = {
  usage,
  summary: "verify the event log's hash chains (every run and workspace, or --run ID)",
  options: {
    help: { type: 'boolean', short: 'h' },
    run: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    if (positionals[0] !== 'verify' || positionals.length > 1) {
      process.stderr.write(`Usage: sluice ${usage}\n`);
      return 2;
    }
    const runId = typeof values.run === 'string' ? values.run : undefined;
    const config = loadConfig();
    const log = createLogger(config.logLevel);
    const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, log });
    try {
      // Encrypted step data is opened with the master key to be checked too.
      const masterKey = await loadMasterKey({ configured: config.masterKey, dataDir: config.dataDir });
      const sealer = createDataSealer({ prisma: db.prisma, masterKey: masterKey.key });
      const report = await verifyAudit(db.url, runId === undefined ? { sealer } : { runId, sealer });
      if (values.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
      } else {
        const scope =
          runId === undefined
            ? `${report.runs} runs and ${report.workspaces} workspace chains`
            : `run ${runId}`;
        process.stdout.write(`verified ${scope}: ${report.events} events\n`);
        for (const broken of report.breaks) {
          process.stdout.write(
            `${broken.chain} ${broken.id}: broken at seq ${broken.seq}: ${broken.reason}\n`,
          );
        }
        process.stdout.write(
          report.breaks.length === 0 ? 'every chain verifies\n' : `${report.breaks.length} broken\n`,
        );
      }
      return report.breaks.length === 0 ? 0 : 1;
    } finally {
      await db.close();
    }
  },
};
