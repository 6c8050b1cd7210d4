// Deviation from a node's own history (per workflow version and node): each finished worker step is
// judged against the node's baseline before it joins it. Duration, tokens and output size by a
// robust z-score; error rate and validator block rate by the recent share of failures (the rules:
// robust-stats.ts). A deviating value raises a one-off alert naming the metric, the value and the
// baseline; a deviating rate is a condition, resolved when the rate is back to normal.
import type { PrismaClient } from '../generated/prisma/client';
import { type AlertChange, type MonitorAlert, raiseEach, resolveByKey } from './alert-lifecycle';
import type { Baselines, Measurement } from './baselines';
import type { FeedEvent } from './event-feed';
import { type DeviationRule, judgeRate, judgeValue, type RateRule } from './robust-stats';

export const deviationKinds = {
  value: ['deviation.duration', 'deviation.tokens', 'deviation.output_size'],
  rate: ['deviation.error_rate', 'deviation.block_rate'],
} as const;

const metrics = [
  { key: 'durationMs', kind: 'deviation.duration', name: 'duration', unit: 'ms', floor: 1 },
  { key: 'tokens', kind: 'deviation.tokens', name: 'token use', unit: 'tokens', floor: 1 },
  { key: 'outputBytes', kind: 'deviation.output_size', name: 'output size', unit: 'bytes', floor: 1 },
] as const satisfies ReadonlyArray<{
  key: keyof Measurement;
  kind: string;
  name: string;
  unit: string;
  floor: number;
}>;

export interface DeviationSettings {
  value: DeviationRule;
  rate: RateRule;
}

const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 10) / 10);

/** Judges the step outcomes among `events` and records them in the baselines; returns alert changes. */
export async function detectDeviations(
  prisma: PrismaClient,
  baselines: Baselines,
  events: readonly FeedEvent[],
  settings: DeviationSettings,
): Promise<AlertChange[]> {
  const finished = events.filter(
    (e) =>
      e.runId !== null &&
      e.workflowVersionId !== null &&
      typeof e.payload.nodeId === 'string' &&
      (e.type === 'step.succeeded' || (e.type === 'step.failed' && e.payload.willRetry === false)),
  );
  // Runs in this batch are left out of a first load, so that they are judged rather than assumed.
  const batchRuns = new Map<string, string[]>();
  for (const e of finished) {
    const key = `${e.workflowVersionId}\n${String(e.payload.nodeId)}`;
    batchRuns.set(key, [...(batchRuns.get(key) ?? []), e.runId!]);
  }
  const alerts: MonitorAlert[] = [];
  const changes: AlertChange[] = [];
  const judgedRates = new Map<string, { workspaceId: string; versionId: string; nodeId: string }>();
  for (const e of finished) {
    const runId = e.runId!;
    const versionId = e.workflowVersionId!;
    const nodeId = String(e.payload.nodeId);
    const attempt = Number(e.payload.attempt);
    const history = await baselines.history(versionId, nodeId, batchRuns.get(`${versionId}\n${nodeId}`));
    if (e.type === 'step.succeeded') {
      // The row must still hold this attempt's success for its measurements to be this step's.
      const step = e.step?.status === 'succeeded' && e.step.attempt === attempt ? e.step : null;
      const measurement: Measurement = {
        durationMs:
          step?.durationMs ?? (typeof e.payload.durationMs === 'number' ? e.payload.durationMs : null),
        tokens: step?.tokens ?? null,
        outputBytes: step?.outputBytes ?? null,
      };
      if (history.successes.some((s) => s.runId === runId)) continue;
      for (const metric of metrics) {
        const value = measurement[metric.key];
        if (value === null) continue;
        const baseline = history.successes.flatMap((s) => (s[metric.key] === null ? [] : [s[metric.key]!]));
        const verdict = judgeValue(value, baseline, settings.value, metric.floor);
        if (verdict.status !== 'deviates') continue;
        const ratio = verdict.median > 0 ? value / verdict.median : Infinity;
        alerts.push({
          workspaceId: e.workspaceId,
          dedupeKey: `${metric.kind}:${runId}:${nodeId}:${attempt}`,
          kind: metric.kind,
          severity: 'warning',
          message:
            `Step "${nodeId}" ${metric.name} was ${round(value)} ${metric.unit}, ${round(ratio)}× its baseline ` +
            `median of ${round(verdict.median)} ${metric.unit} (robust z ${round(verdict.z)}, ${verdict.samples} samples).`,
          details: {
            metric: metric.name,
            unit: metric.unit,
            value,
            baseline: { median: verdict.median, mad: verdict.mad, samples: verdict.samples },
            z: verdict.z,
            threshold: settings.value.zThreshold,
            workflowVersionId: versionId,
            attempt,
          },
          runId,
          nodeId,
        });
      }
      baselines.addSuccess(history, runId, measurement);
    }
    const failed = e.type === 'step.failed';
    const error = e.payload.error;
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : null;
    if (baselines.addOutcome(history, runId, { failed, blocked: failed && code === 'VALIDATION_BLOCKED' })) {
      judgedRates.set(`${versionId}\n${nodeId}`, { workspaceId: e.workspaceId, versionId, nodeId });
    }
  }
  changes.push(...(await raiseEach(prisma, alerts)));
  for (const { workspaceId, versionId, nodeId } of judgedRates.values()) {
    const history = await baselines.history(versionId, nodeId);
    for (const rate of [
      { kind: 'deviation.error_rate', name: 'error rate', outcomes: history.outcomes.map((o) => o.failed) },
      {
        kind: 'deviation.block_rate',
        name: 'validator block rate',
        outcomes: history.outcomes.map((o) => o.blocked),
      },
    ]) {
      const verdict = judgeRate(rate.outcomes, settings.rate);
      if (verdict.status === 'insufficient') continue;
      const dedupeKey = `${rate.kind}:${versionId}:${nodeId}`;
      if (verdict.status === 'deviates') {
        const pct = (n: number) => `${Math.round(n * 100)} %`;
        changes.push(
          ...(await raiseEach(prisma, [
            {
              workspaceId,
              dedupeKey,
              kind: rate.kind,
              severity: 'warning',
              message:
                `Node "${nodeId}" ${rate.name} is ${pct(verdict.recentRate)} over its last ${settings.rate.recentWindow} ` +
                `steps against a baseline of ${pct(verdict.baselineRate)} (${verdict.samples} steps).`,
              details: {
                metric: rate.name,
                value: verdict.recentRate,
                baseline: { rate: verdict.baselineRate, samples: verdict.samples },
                recentWindow: settings.rate.recentWindow,
                workflowVersionId: versionId,
              },
              nodeId,
            },
          ])),
        );
      } else {
        const resolved = await resolveByKey(
          prisma,
          workspaceId,
          dedupeKey,
          `the ${rate.name} is back to normal`,
        );
        if (resolved) changes.push(resolved);
      }
    }
  }
  return changes;
}
