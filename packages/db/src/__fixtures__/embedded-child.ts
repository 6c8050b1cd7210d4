// Run by embedded.test.ts as a separate process: starts the embedded server in the directory given
// as its argument, prints where it listens, and waits to be killed.
import fs from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres } from '../embedded';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: embedded-child.ts <dataDir>');
const server = await startEmbeddedPostgres({ dataDir });
const pidFile = await fs.readFile(path.join(server.pgDataDir, 'postmaster.pid'), 'utf8');
const postmasterPid = Number.parseInt(pidFile.split('\n')[0] ?? '', 10);
process.stdout.write(`${JSON.stringify({ adminUrl: server.adminUrl, port: server.port, postmasterPid })}\n`);
setInterval(() => {}, 60_000);
