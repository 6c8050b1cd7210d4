import { openDatabase } from '@sluice/db';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import type { Command } from './index';

export const migrateCommand: Command = {
  usage: 'migrate',
  summary: 'apply pending database migrations and exit',
  options: { help: { type: 'boolean', short: 'h' } },
  async run() {
    const config = loadConfig();
    const log = createLogger(config.logLevel);
    // openDatabase applies what is pending (under an advisory lock) before it returns.
    const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, log });
    await db.close();
    const applied = db.migrationsApplied;
    process.stdout.write(
      applied.length === 0
        ? 'database is up to date\n'
        : `applied ${applied.length}: ${applied.join(', ')}\n`,
    );
    return 0;
  },
};
