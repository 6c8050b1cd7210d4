import { test } from '@sluice/db/testing';
import { describe, expect } from 'vitest';
import { flow, seed, startEngine } from './support.js';

describe('subflow', () => {
  test('runs a pinned published version as one step, as a child run of the step', async ({ db }) => {
    const child = await seed(
      db,
      flow('child')
        .transform('double', { mapping: { n: 'input.n * 2' } })
        .output('done', {}),
    );
    const io = { type: 'object' as const, properties: { n: { type: 'integer' as const } } };
    const parent = await seed(
      db,
      flow('parent')
        .subflow('sub', { workflowId: child.workflowId, version: 1, inputSchema: io, outputSchema: io })
        .transform('inc', { mapping: { n: 'input.n + 1' } })
        .output('done', {}),
      child,
    );
    const { engine, close } = await startEngine(db);
    try {
      const run = await engine.startRun({ workflowVersionId: parent.versionId, input: { n: 5 } });
      const done = await engine.waitForRun(run.runId, { timeoutMs: 20_000 });
      expect(done).toMatchObject({ status: 'succeeded', output: { n: 11 } });
      const children = await db.prisma.run.findMany({ where: { parentRunId: run.runId } });
      expect(children).toHaveLength(1);
      expect(children[0]).toMatchObject({
        status: 'succeeded',
        output: { n: 10 },
        workflowVersionId: child.versionId,
      });
    } finally {
      await close();
    }
  });
});
