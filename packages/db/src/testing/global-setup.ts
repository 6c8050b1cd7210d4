// vitest globalSetup: ONE PostgreSQL for the whole test run and a migrated template database that
// each test file clones (see ./index.ts). Set TEST_DATABASE_URL to use an existing server instead
// of starting the embedded one; its user needs CREATEDB.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../embedded';
import { migrate } from '../migrate';
import { uniqueDatabaseName, withDatabase } from './context';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_DATABASE_URL;
  let tmp: string | undefined;
  let stopServer = async () => {};
  let adminUrl: string;
  if (external) {
    adminUrl = external;
  } else {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'sluice-test-pg-'));
    const server = await startEmbeddedPostgres({ dataDir: tmp });
    adminUrl = server.adminUrl;
    stopServer = () => server.stop();
  }

  const template = uniqueDatabaseName('sluice_template');
  const cleanup = async () => {
    if (external) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    if (tmp) await reportServerTrouble(path.join(tmp, 'pg', 'log'));
    await stopServer();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  };
  try {
    await adminQuery(adminUrl, `CREATE DATABASE "${template}"`);
    await migrate(withDatabase(adminUrl, template));
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }
  project.provide('sluiceDbAdminUrl', adminUrl);
  project.provide('sluiceDbTemplate', template);
  return cleanup;
}

/**
 * What the test server itself said went wrong (a crashed backend, a panic, connections it ended),
 * printed when the run ends: when tests fail on "Connection terminated unexpectedly", this names
 * the server's side of it.
 */
async function reportServerTrouble(logDir: string): Promise<void> {
  const trouble =
    /PANIC|terminated by signal|was terminated|terminating connection|out of memory|No space left/;
  const lines: string[] = [];
  for (const file of await fs.readdir(logDir).catch(() => [])) {
    const text = await fs.readFile(path.join(logDir, file), 'utf8').catch(() => '');
    for (const line of text.split('\n')) if (trouble.test(line)) lines.push(line);
  }
  if (lines.length === 0) return;
  process.stderr.write(
    `test PostgreSQL reported ${lines.length} line(s) of trouble (first 20):\n${lines.slice(0, 20).join('\n')}\n`,
  );
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
