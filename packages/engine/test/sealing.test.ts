import { randomBytes } from 'node:crypto';
import { createDataSealer, openPgStore, verifyAudit } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { createEngine, type Engine } from '../src/index.js';
import { seed } from './support.js';
import { type NodeConfigInputs } from '@sluice/nodes';
import { workflow } from '@sluice/spec';
import { builtinExecutors, executorRegistry } from '@sluice/nodes/server';
import type { TestDatabase } from '@sluice/db/testing';

const CANARY = 'CANARY-7f3a9c-restricted-value';

/** Every row of every table in the public schema, as text: what a database dump would hold. */
async function dumpAll(db: TestDatabase): Promise<string> {
  const tables = await db.prisma.$queryRawUnsafe<{ tablename: string }[]>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
  );
  const parts: string[] = [];
  for (const { tablename } of tables) {
    const rows = await db.prisma.$queryRawUnsafe<{ row: string }[]>(
      `SELECT row_to_json(t)::text AS row FROM "${tablename}" t`,
    );
    for (const r of rows) parts.push(r.row);
  }
  return parts.join('\n');
}

async function engineWithSealer(db: TestDatabase, masterKey: Buffer) {
  const sealer = createDataSealer({ prisma: db.prisma, masterKey });
  const store = await openPgStore({ url: db.url, sealer });
  const engine: Engine = createEngine({
    store,
    executors: executorRegistry([...builtinExecutors]),
    workers: { concurrency: 4, leaseMs: 2_000, pollMs: 100 },
  });
  await engine.start();
  return {
    engine,
    sealer,
    close: async () => {
      await engine.stop({ graceMs: 1_000 });
      await store.close();
    },
  };
}

describe('encryption at rest of confidential data', () => {
  test('restricted run data is ciphertext in every table, plaintext to the engine, and verifies', async ({
    db,
  }) => {
    const masterKey = randomBytes(32);
    const spec = workflow<NodeConfigInputs>('sealed')
      .owner('tests')
      .trigger(
        {
          type: 'manual',
          input: { type: 'object', properties: { n: { type: 'integer' }, note: { type: 'string' } } },
        },
        { classification: 'restricted' },
      )
      .transform('copy', { mapping: { note: 'input.note', n: 'input.n' } })
      .ai('think', { provider: 'offline', model: 'echo', prompt: 'Consider {{ input.note }}' })
      .output('done', {});
    const s = await seed(db, spec);
    const { engine, sealer, close } = await engineWithSealer(db, masterKey);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { n: 1, note: CANARY } });
      const done = await engine.waitForRun(run.runId, { timeoutMs: 15_000 });
      expect(done.status).toBe('succeeded');
      // The engine reads plaintext back: the worker step got the transform's output.
      expect(JSON.stringify(done.output)).toContain(CANARY);
      const steps = await engine.getSteps(run.runId);
      expect(JSON.stringify(steps.find((st) => st.nodeId === 'think'))).toContain(CANARY);

      const dump = await dumpAll(db);
      expect(dump).not.toContain(CANARY);
      expect(dump).toMatch(/"\$sealed": ?"v1"/);

      const withKey = await verifyAudit(db.url, { runId: run.runId, sealer });
      expect(withKey).toMatchObject({ breaks: [], sealedUnchecked: 0 });
      const withoutKey = await verifyAudit(db.url, { runId: run.runId });
      expect(withoutKey.breaks).toEqual([]);
      expect(withoutKey.sealedUnchecked).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });

  test('without a sealer, confidential data is refused rather than stored in clear', async ({ db }) => {
    const spec = workflow<NodeConfigInputs>('sealed')
      .owner('tests')
      .trigger({ type: 'manual', input: { type: 'object' } }, { classification: 'confidential' })
      .transform('copy', { mapping: { n: '1' } })
      .output('done', {});
    const s = await seed(db, spec);
    const store = await openPgStore({ url: db.url });
    const engine = createEngine({ store, executors: executorRegistry(builtinExecutors), workers: false });
    try {
      await expect(
        engine.startRun({ workflowVersionId: s.versionId, input: { secret: CANARY } }),
      ).rejects.toThrow(/no data sealer/);
      expect(await dumpAll(db)).not.toContain(CANARY);
    } finally {
      await store.close();
    }
  });
});
