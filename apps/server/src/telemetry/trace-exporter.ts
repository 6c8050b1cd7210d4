// Exports each finished run as an OpenTelemetry trace over OTLP/HTTP (JSON), when
// OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set. Finished runs are
// found by polling the event log for terminal run events (the monitor's event cursor: one indexed
// range read per poll), then each run's trace is built from its record (run-spans.ts).
//
// One exporting process per database: several `sluice start` processes on one database would each
// export every run; set SLUICE_OTEL_TRACES=off on all but one.
import { context, type Span, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { type DbLogger, EventFeed, type PrismaClient, silentLogger } from '@sluice/db';
import type { RunEvent, Store } from '@sluice/engine';
import { z } from 'zod';
import { runTrace, type RunVersion, type SpanSpec } from './run-spans';

const Switch = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => ['on', 'true', '1'].includes(v));

/** The exporter's settings from the environment (OpenTelemetry's own variable names where they exist). */
export const TraceSettings = z
  .object({
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
    OTEL_SERVICE_NAME: z.string().min(1).max(200).default('sluice'),
    /** off: this process exports nothing even with an endpoint set. */
    SLUICE_OTEL_TRACES: Switch.default(true),
    /** on: failed steps' error messages go into spans (they may quote data). Default off. */
    SLUICE_OTEL_ERROR_MESSAGES: Switch.default(false),
    SLUICE_OTEL_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  })
  .transform((env) => ({
    url:
      env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
      (env.OTEL_EXPORTER_OTLP_ENDPOINT
        ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`
        : null),
    enabled: env.SLUICE_OTEL_TRACES,
    serviceName: env.OTEL_SERVICE_NAME,
    recordErrorMessages: env.SLUICE_OTEL_ERROR_MESSAGES,
    pollMs: env.SLUICE_OTEL_POLL_MS,
  }));
export type TraceSettings = z.output<typeof TraceSettings>;

/**
 * Reads the settings from an environment; an invalid value throws an error naming the variable.
 *
 * @example
 * const settings = traceSettings(process.env); // { url: 'http://collector:4318/v1/traces', … }
 */
export function traceSettings(env: Record<string, string | undefined>): TraceSettings {
  const parsed = TraceSettings.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`invalid telemetry setting ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
}

export interface RunTraceExporter {
  /** Exports the runs finished since the last call, then flushes; resolves with how many. */
  poll(): Promise<number>;
  /** Stops polling, exports what is pending and shuts the SDK down. */
  stop(): Promise<void>;
}

export interface RunTraceExporterOptions {
  settings: TraceSettings;
  prisma: PrismaClient;
  store: Pick<Store, 'getRun' | 'getSteps' | 'readEvents' | 'loadVersion'>;
  version: string;
  log?: DbLogger;
  /** Default true: poll every `settings.pollMs`. */
  loop?: boolean;
}

const TERMINAL = ['run.succeeded', 'run.failed', 'run.cancelled'];

/**
 * Starts exporting finished runs, or returns null when no endpoint is set (or it is switched off).
 *
 * @example
 * const exporter = await startRunTraceExporter({ settings: traceSettings(process.env), prisma, store, version });
 * await exporter?.stop();
 */
export async function startRunTraceExporter(
  options: RunTraceExporterOptions,
): Promise<RunTraceExporter | null> {
  const { settings, store } = options;
  const log = options.log ?? silentLogger;
  if (!settings.enabled || !settings.url) return null;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: settings.serviceName,
      [ATTR_SERVICE_VERSION]: options.version,
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.url }))],
  });
  const tracer = provider.getTracer('sluice.runs', options.version);
  const feed = new EventFeed(options.prisma, TERMINAL, { settleMs: 1_000, batch: 500 });
  await feed.startAtHead();
  const versions = new Map<string, Promise<RunVersion | null>>();
  const versionOf = (id: string) => {
    let found = versions.get(id);
    if (!found) {
      found = store.loadVersion(id).then((v) => {
        if (!v) return null;
        const spec = z
          .object({ nodes: z.record(z.string(), z.object({ kind: z.string() })) })
          .safeParse(v.spec);
        const kinds = new Map(
          spec.success ? Object.entries(spec.data.nodes).map(([id, n]) => [id, n.kind]) : [],
        );
        return { workflowId: v.workflowId, version: v.version, kinds };
      });
      versions.set(id, found);
    }
    return found;
  };

  const exportRun = async (runId: string) => {
    const run = await store.getRun(runId);
    if (!run) return false;
    const version = await versionOf(run.workflowVersionId);
    if (!version) return false;
    const steps = await store.getSteps(runId);
    const events: RunEvent[] = [];
    for (
      let page = await store.readEvents(runId, 0);
      page.length > 0;
      page = await store.readEvents(runId, events.at(-1)!.seq)
    ) {
      events.push(...page);
    }
    const built = runTrace(run, steps, events, version, {
      recordErrorMessages: settings.recordErrorMessages,
    });
    const root = emit(tracer, built.run, undefined);
    for (const step of built.steps) emit(tracer, step, root);
    return true;
  };

  const poll = async () => {
    let exported = 0;
    for (const event of await feed.next()) {
      if (event.runId && (await exportRun(event.runId))) exported++;
    }
    if (exported > 0) await provider.forceFlush();
    return exported;
  };

  let timer: NodeJS.Timeout | undefined;
  let current: Promise<number> | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(async () => {
      current = poll();
      try {
        await current;
      } catch (error) {
        log.warn(`exporting run traces failed: ${error instanceof Error ? error.message : error}`);
      } finally {
        current = undefined;
      }
      schedule();
    }, settings.pollMs);
    timer.unref();
  };
  if (options.loop !== false) schedule();
  log.info(`exporting run traces to ${settings.url}`);

  return {
    poll,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current?.catch(() => undefined);
      await provider.shutdown();
    },
  };
}

function emit(tracer: Tracer, spec: SpanSpec, parent: Span | undefined): Span {
  const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
  const span = tracer.startSpan(
    spec.name,
    { startTime: spec.start, attributes: spec.attributes, kind: SpanKind.INTERNAL, root: !parent },
    ctx,
  );
  for (const event of spec.events) span.addEvent(event.name, event.attributes, event.at);
  if (spec.error)
    span.setStatus({ code: SpanStatusCode.ERROR, message: spec.error.message ?? spec.error.code });
  else span.setStatus({ code: SpanStatusCode.OK });
  span.end(spec.end);
  return span;
}
