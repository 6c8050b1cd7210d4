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

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
