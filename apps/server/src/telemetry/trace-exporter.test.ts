// The run-trace exporter against a loopback OTLP/HTTP receiver (node:http decoding the JSON export):
// one span per step under one span per run, GenAI attributes on the AI step, and no input, prompt,
// output or credential anywhere in what was sent.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openPgStore } from '@sluice/db';
import { test } from '@sluice/db/testing';
import { createEngine } from '@sluice/engine';
import { type NodeConfigInputs, registry } from '@sluice/nodes';
import { builtinExecutors, executorRegistry, StepError } from '@sluice/nodes/server';
import { workflow } from '@sluice/spec';
import { describe, expect } from 'vitest';
import { z } from 'zod';
import { startRunTraceExporter, traceSettings } from './trace-exporter';

const AnyValue: z.ZodType<unknown> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    intValue: z.union([z.string(), z.number()]).optional(),
    doubleValue: z.number().optional(),
    boolValue: z.boolean().optional(),
    arrayValue: z.object({ values: z.array(AnyValue).optional() }).optional(),
  }),
);
const Attribute = z.object({ key: z.string(), value: AnyValue });
const OtlpSpan = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  name: z.string(),
  startTimeUnixNano: z.union([z.string(), z.number()]),
  endTimeUnixNano: z.union([z.string(), z.number()]),
  attributes: z.array(Attribute).default([]),
  status: z.object({ code: z.number().optional() }).optional(),
});
const OtlpExport = z.object({
  resourceSpans: z.array(
    z.object({
      resource: z.object({ attributes: z.array(Attribute).default([]) }).optional(),
      scopeSpans: z.array(z.object({ spans: z.array(OtlpSpan).default([]) })),
    }),
  ),
});
type OtlpSpan = z.infer<typeof OtlpSpan>;

/** A loopback OTLP/HTTP receiver: every JSON export it was sent, raw and decoded. */
async function startReceiver(): Promise<{
  url: string;
  bodies: string[];
  spans: OtlpSpan[];
  close(): Promise<void>;
}> {
  const bodies: string[] = [];
  const spans: OtlpSpan[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      bodies.push(body);
      for (const rs of OtlpExport.parse(JSON.parse(body)).resourceSpans) {
        for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const attr = (span: OtlpSpan, key: string) => span.attributes.find((a) => a.key === key)?.value;
const nodeOf = (span: OtlpSpan) =>
  z.object({ stringValue: z.string() }).parse(attr(span, 'sluice.node.id')).stringValue;

describe('run traces over OTLP/HTTP', () => {
  test('one span per step under the run, GenAI attributes on the AI step, nothing sensitive', async ({
    db,
  }) => {
    const canary = `CANARY-${randomUUID()}`;
    const built = workflow<NodeConfigInputs>(`traced-${randomUUID().slice(0, 8)}`)
      .owner('tests')
      .trigger(
        {
          type: 'manual',
          input: { type: 'object', properties: { n: { type: 'integer' }, note: { type: 'string' } } },
        },
        { classification: 'public' },
      )
      .ai('think', { provider: 'offline', model: 'echo', prompt: 'Consider {{ input.note }} carefully' })
      .http(
        'call',
        { method: 'POST', url: 'https://api.example.com/x', allowHosts: ['api.example.com'] },
        { retry: { maxAttempts: 2, initialDelayMs: 0, maxDelayMs: 0, multiplier: 1, jitter: false } },
      )
      .output('done', {})
      .build(registry);
    const tag = randomUUID().slice(0, 8);
    const user = await db.prisma.user.create({ data: { email: `${tag}@example.test`, name: tag } });
    const workspace = await db.prisma.workspace.create({ data: { name: tag, slug: tag } });
    const wf = await db.prisma.workflow.create({
      data: {
        workspaceId: workspace.id,
        name: built.metadata.name,
        ownerTeam: 'tests',
        draftGraph: {},
        createdById: user.id,
      },
    });
    const version = await db.prisma.workflowVersion.create({
      data: {
        workflowId: wf.id,
        version: 1,
        spec: JSON.parse(JSON.stringify(built)),
        graph: {},
        hash: 'a'.repeat(64),
        publishedById: user.id,
      },
    });

    const receiver = await startReceiver();
    const store = await openPgStore({ url: db.url });
    const engine = createEngine({
      store,
      executors: executorRegistry([
        ...builtinExecutors.filter((e) => e.kind !== 'http'),
        // The http step fails once (retried), so its span carries the failed attempt as an event.
        {
          kind: 'http',
          pure: false,
          execute: (ctx) => {
            if (ctx.attempt === 1)
              throw new StepError('UPSTREAM_DOWN', `upstream said ${canary}`, { retryable: true });
            return { output: { status: 200, headers: {}, body: { echoed: canary } } };
          },
        },
      ]),
      workers: { concurrency: 2, leaseMs: 5_000, pollMs: 100 },
    });
    await engine.start();
    const exporter = await startRunTraceExporter({
      settings: traceSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, SLUICE_OTEL_POLL_MS: '100' }),
      prisma: db.prisma,
      store,
      version: 'test',
      loop: false,
    });
    expect(exporter).not.toBeNull();
    try {
      const run = await engine.startRun({ workflowVersionId: version.id, input: { n: 1, note: canary } });
      const done = await engine.waitForRun(run.runId, { timeoutMs: 30_000 });
      expect(done.status).toBe('succeeded');

      // The feed hands out a terminal event once it is a second old (late commits); poll until it has.
      for (let i = 0; i < 100 && (await exporter!.poll()) === 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      const spans = receiver.spans;
      const runSpan = spans.find((s) => s.parentSpanId === undefined || s.parentSpanId === '');
      expect(runSpan?.name).toMatch(/^run /);
      expect(attr(runSpan!, 'sluice.run.id')).toEqual({ stringValue: run.runId });
      const stepSpans = spans.filter((s) => s !== runSpan);
      const steps = await store.getSteps(run.runId);
      expect(stepSpans.map(nodeOf).sort()).toEqual(steps.map((s) => s.nodeId).sort());
      expect(stepSpans.map(nodeOf).sort()).toEqual(['call', 'done', 'think', 'trigger']);
      expect(
        stepSpans.every((s) => s.parentSpanId === runSpan!.spanId && s.traceId === runSpan!.traceId),
      ).toBe(true);
      // Real times: each step span is the step row's start and end.
      for (const step of steps) {
        const span = stepSpans.find((s) => nodeOf(s) === step.nodeId)!;
        expect(BigInt(span.startTimeUnixNano)).toBe(BigInt(step.startedAt!.getTime()) * 1_000_000n);
        expect(BigInt(span.endTimeUnixNano)).toBe(BigInt(step.finishedAt!.getTime()) * 1_000_000n);
      }

      const ai = stepSpans.find((s) => nodeOf(s) === 'think')!;
      expect(attr(ai, 'gen_ai.request.model')).toEqual({ stringValue: 'echo' });
      expect(attr(ai, 'gen_ai.provider.name')).toEqual({ stringValue: 'offline' });
      expect(attr(ai, 'gen_ai.system')).toEqual({ stringValue: 'offline' });
      expect(attr(ai, 'gen_ai.usage.input_tokens')).toBeDefined();
      expect(attr(ai, 'gen_ai.usage.output_tokens')).toBeDefined();
      expect(attr(ai, 'gen_ai.response.finish_reasons')).toEqual({
        arrayValue: { values: [{ stringValue: 'stop' }] },
      });
      const call = stepSpans.find((s) => nodeOf(s) === 'call')!;
      expect(attr(call, 'gen_ai.request.model')).toBeUndefined();
      expect(attr(call, 'sluice.step.attempt')).toMatchObject({ intValue: expect.anything() });

      // Nothing of the input, the prompt, the outputs or the error message went out, in any field.
      const sent = receiver.bodies.join('\n');
      expect(sent).not.toContain(canary);
      expect(sent).not.toContain('carefully');
      const keys = new Set(spans.flatMap((s) => s.attributes.map((a) => a.key)));
      // Every attribute is one of the allow-listed ids, kinds, statuses and counts.
      const allowed = [
        ...['sluice.run.id', 'sluice.workspace.id', 'sluice.workflow.id', 'sluice.workflow.version'],
        ...['sluice.workflow.version_id', 'sluice.run.status', 'sluice.run.tokens', 'sluice.run.parent_id'],
        ...[
          'sluice.node.id',
          'sluice.node.kind',
          'sluice.step.status',
          'sluice.step.attempt',
          'sluice.step.tokens',
        ],
        ...['gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.system', 'gen_ai.request.model'],
        ...[
          'gen_ai.response.finish_reasons',
          'gen_ai.usage.input_tokens',
          'gen_ai.usage.output_tokens',
          'error.type',
        ],
      ];
      expect([...keys].filter((key) => !allowed.includes(key))).toEqual([]);
    } finally {
      await exporter?.stop();
      await engine.stop({ graceMs: 1_000 });
      await store.close();
      await receiver.close();
    }
  });

  test('settings: no endpoint means no exporter; a bad endpoint is named', async ({ db }) => {
    expect(traceSettings({}).url).toBeNull();
    expect(traceSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' }).url).toBe(
      'http://127.0.0.1:4318/v1/traces',
    );
    expect(
      traceSettings({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9999/traces',
      }).url,
    ).toBe('http://127.0.0.1:9999/traces');
    expect(() => traceSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(() => traceSettings({ SLUICE_OTEL_ERROR_MESSAGES: 'maybe' })).toThrow(
      /SLUICE_OTEL_ERROR_MESSAGES/,
    );
    const store = await openPgStore({ url: db.url });
    try {
      expect(
        await startRunTraceExporter({ settings: traceSettings({}), prisma: db.prisma, store, version: 't' }),
      ).toBeNull();
      expect(
        await startRunTraceExporter({
          settings: traceSettings({
            OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
            SLUICE_OTEL_TRACES: 'off',
          }),
          prisma: db.prisma,
          store,
          version: 't',
        }),
      ).toBeNull();
    } finally {
      await store.close();
    }
  });
});
