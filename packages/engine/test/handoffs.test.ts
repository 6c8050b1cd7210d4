import { test } from '@sluice/db/testing';
import { registry } from '@sluice/nodes';
import { type NodeConfigInputs } from '@sluice/nodes';
import { type RunEvent, type Spec, workflow } from '@sluice/spec';
import { describe, expect } from 'vitest';
import type { Executor } from '../src/index.js';
import { seed, startEngine } from './support.js';

const CARD = '4111 1111 1111 1111';

/** An `ai` step that records it ran (the real one would call the external model). */
function recordingAi(calls: unknown[]): Executor {
  return {
    kind: 'ai',
    pure: false,
    execute: (ctx) => {
      calls.push(ctx.input);
      return { output: { text: 'drafted' } };
    },
  };
}

/** trigger → redacting validator → ai on an external provider → output: compiles cleanly. */
function reviewed(): Spec {
  return workflow<NodeConfigInputs>('handoff')
    .owner('support')
    .trigger(
      { type: 'manual', input: { type: 'object', properties: { note: { type: 'string' } } } },
      { classification: 'internal' },
    )
    .validator('scrub', { detectors: ['credit_card', 'email'], onFailure: 'redact', guarantees: 'public' })
    .ai(
      'draft',
      {
        provider: 'openai-compatible',
        model: 'm',
        baseUrl: 'https://llm.example.test/v1',
        prompt: '{{ input.note }}',
      },
      { owner: 'vendor-team' },
    )
    .output('done', {})
    .build(registry);
}

/** The same spec edited in the database: the redactor cut out and the trigger relabelled public. */
function tampered(): Spec {
  const spec = structuredClone(reviewed());
  delete spec.nodes.scrub;
  spec.trigger.classification = 'public';
  spec.edges = spec.edges
    .filter((e) => e.to.node !== 'scrub')
    .map((e) => (e.from.node === 'scrub' ? { ...e, from: { node: spec.trigger.id, port: 'out' } } : e));
  return spec;
}

async function eventsOf(engine: Awaited<ReturnType<typeof startEngine>>['engine'], runId: string) {
  const events: RunEvent[] = [];
  for await (const event of engine.subscribe(runId, { untilFinished: true })) events.push(event);
  return events;
}

describe('handoff inspection at run time', () => {
  test('restricted data bound for an external model is blocked even when the spec was tampered with', async ({
    db,
  }) => {
    const s = await seed(db, tampered());
    const calls: unknown[] = [];
    const { engine, close } = await startEngine(db, [recordingAi(calls)]);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { note: `card ${CARD}` } });
      const done = await engine.waitForRun(run.runId, { timeoutMs: 10_000 });
      expect(done).toMatchObject({ status: 'failed', error: { code: 'HANDOFF_BLOCKED', nodeId: 'draft' } });
      expect(calls).toEqual([]);
      const events = await eventsOf(engine, run.runId);
      const inspected = events.filter((e) => e.type === 'handoff.inspected');
      expect(inspected.map((e) => e.payload)).toEqual([
        expect.objectContaining({
          from: 'trigger',
          to: 'draft',
          boundaries: ['team-to-team', 'egress'],
          declared: 'public',
          observed: 'restricted',
          clearance: 'public',
          findings: [{ detector: 'credit_card', path: '/note' }],
          blocked: true,
        }),
      ]);
      expect(JSON.stringify(events)).not.toContain('4111');
    } finally {
      await close();
    }
  });

  test('the reviewed spec passes: the redacted payload crosses and is recorded as clean', async ({ db }) => {
    const s = await seed(db, reviewed());
    const calls: unknown[] = [];
    const { engine, close } = await startEngine(db, [recordingAi(calls)]);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { note: `card ${CARD}` } });
      const done = await engine.waitForRun(run.runId, { timeoutMs: 10_000 });
      expect(done.status).toBe('succeeded');
      expect(calls).toEqual([{ note: 'card [REDACTED:credit_card]' }]);
      const inspected = (await eventsOf(engine, run.runId)).filter((e) => e.type === 'handoff.inspected');
      expect(inspected.map((e) => e.payload)).toEqual([
        expect.objectContaining({
          from: 'scrub',
          to: 'draft',
          declared: 'public',
          observed: 'public',
          blocked: false,
        }),
        // The vendor team's step hands back to the support team's output: a team boundary.
        expect.objectContaining({ from: 'draft', to: 'done', boundaries: ['team-to-team'], blocked: false }),
      ]);
    } finally {
      await close();
    }
  });

  test('edges that cross no boundary are not inspected', async ({ db }) => {
    const s = await seed(
      db,
      workflow<NodeConfigInputs>('plain')
        .owner('tests')
        .trigger({ type: 'manual', input: { type: 'object', properties: { note: { type: 'string' } } } })
        .transform('copy', { mapping: { note: 'input.note' } })
        .output('done', {})
        .build(registry),
    );
    const { engine, close } = await startEngine(db);
    try {
      const run = await engine.startRun({ workflowVersionId: s.versionId, input: { note: 'mail a@b.test' } });
      expect(run.status).toBe('succeeded');
      const events = await eventsOf(engine, run.runId);
      expect(events.some((e) => e.type === 'handoff.inspected')).toBe(false);
    } finally {
      await close();
    }
  });
});
