import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { hashPassword } from '@sluice/api';
import { seedDemoWorkspace, type Database } from '@sluice/db';
import { compileOnServer } from '@sluice/nodes/server';
import { EditorGraph } from '@sluice/spec';
import demoGraph from './demo/support-triage.graph.json' with { type: 'json' };
import type { Logger } from './logger';

const roles = ['owner', 'editor', 'operator', 'reviewer', 'auditor'] as const;

/**
 * On the first start against an empty database: a demo workspace, one member per role with a random
 * password (printed once, and written to <dataDir>/demo-credentials.txt with mode 0600), and the
 * support-triage workflow published as version 1. Does nothing once a workspace exists.
 */
export async function seedOnFirstStart({ db, dataDir, log }: { db: Database; dataDir: string; log: Logger }) {
  if ((await db.prisma.workspace.count()) > 0) return;

  const graph = EditorGraph.parse(demoGraph);
  const compiled = compileOnServer(graph);
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (!compiled.spec || !compiled.hash || errors.length > 0) {
    throw new Error(
      `the demo workflow does not compile: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`,
    );
  }

  const users = await Promise.all(
    roles.map(async (role) => {
      const password = randomBytes(12).toString('base64url');
      return {
        role,
        email: `${role}@demo.sluice.test`,
        name: `Demo ${role}`,
        password,
        passwordHash: await hashPassword(password),
      };
    }),
  );
  const seeded = await seedDemoWorkspace(db.prisma, {
    workspace: { name: 'Demo workspace', slug: 'demo' },
    users: users.map(({ password: _password, ...user }) => user),
    workflow: {
      name: graph.metadata.name,
      description: graph.metadata.description,
      ownerTeam: graph.metadata.ownerTeam,
      graph,
      spec: compiled.spec,
      hash: compiled.hash,
    },
  });
  if (!seeded) return; // another process seeded first

  const file = path.join(dataDir, 'demo-credentials.txt');
  const lines = users.map((u) => `${u.role.padEnd(9)} ${u.email.padEnd(28)} ${u.password}`);
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  await fs.writeFile(
    file,
    `# Sluice demo workspace: role, email, password (shown once)\n${lines.join('\n')}\n`,
    {
      mode: 0o600,
    },
  );
  await fs.chmod(file, 0o600);
  log.info(
    `seeded the demo workspace; sign-in details (also in ${file}):\n${lines.map((l) => `    ${l}`).join('\n')}`,
  );
}
