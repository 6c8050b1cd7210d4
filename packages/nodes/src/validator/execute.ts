// The validator step: size, JSON Schema, CEL rules, PII and secret detectors, prompt-injection
// heuristics; then block, redact or flag.
//
// What each action does with each kind of finding:
// - `block`: any finding fails the step with VALIDATION_BLOCKED (not retryable), naming the checks and
//   paths, never the data.
// - `redact`: detector matches are replaced by `[REDACTED:<detector>]` (keys too) and reported with
//   their path and character offsets. Size, schema, rule and injection findings cannot be fixed by
//   masking (there is nothing to cut out that would make the data valid or safe), so they block the
//   step, as under `block`.
// - `flag`: the data passes on unchanged, with every finding.
// Findings go downstream with the output, where a gate rule can read them.
import { canonicalJson, type Finding } from '@sluice/spec';
import { type Executor, type ExecutorContext, StepError, type StepResult } from '../executor.js';
import { ValidatorConfig } from './config.js';
import { walkPayload } from './detectors/index.js';
import { blockedError, detectorFindings } from './findings.js';
import { injectionReport } from './injection/index.js';
import { ruleFindings } from './rule-check.js';
import { schemaFindings } from './schema-check.js';

/** UTF-8 length of a string, without allocating its bytes. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** The size the limit applies to: bytes of the canonical JSON (the form that is stored and hashed). */
function canonicalBytes(input: unknown): number {
  try {
    return utf8Length(canonicalJson(input));
  } catch (error) {
    throw new StepError(
      'INPUT_NOT_JSON',
      `the input is not JSON: ${error instanceof Error ? error.message : ''}`,
    );
  }
}

function parseConfig(raw: unknown): ValidatorConfig {
  const parsed = ValidatorConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new StepError(
    'CONFIG_INVALID',
    `config${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid'}`,
  );
}

function countBy(findings: readonly Finding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.check] = (counts[f.check] ?? 0) + 1;
  return counts;
}

/**
 * The `validator` kind. Pure: no I/O, deterministic, so the engine runs it inline.
 *
 * @example
 * await validatorExecutor.execute({ ...ctx, config: { detectors: ['email'], onFailure: 'redact' },
 *   input: { note: 'write to ada@example.com' } });
 * // { output: { note: 'write to [REDACTED:email]' }, findings: [{ check: 'detector', name: 'email',
 * //   path: '/note', message: 'email at characters 9–24, redacted', ... }], details: { ... } }
 */
export const validatorExecutor: Executor<ValidatorConfig> = {
  kind: 'validator',
  pure: true,
  execute(ctx: ExecutorContext<ValidatorConfig>): StepResult {
    const config = parseConfig(ctx.config);
    const action = config.onFailure;
    const input = ctx.input === undefined ? null : ctx.input;
    const nodeId = ctx.nodeId;

    // Size first: an oversized payload is not walked when it will be refused anyway.
    const bytes = canonicalBytes(input);
    const problems: Finding[] = [];
    if (bytes > config.maxBytes) {
      problems.push({
        nodeId,
        check: 'size',
        name: 'maxBytes',
        severity: 'medium',
        path: '',
        message: `the input is ${bytes} bytes of canonical JSON, over the limit of ${config.maxBytes}`,
        action,
      });
      if (action !== 'flag') throw blockedError(problems, 'validation blocked');
    }
    problems.push(...schemaFindings(input, config, nodeId));
    problems.push(...ruleFindings({ ...ctx, input }, config));

    let maxScore = 0;
    const injections: Finding[] = [];
    const threshold = config.injection.threshold;
    const walked = walkPayload(input, config.detectors, {
      redact: action === 'redact',
      onString: config.injection.enabled
        ? (text, path) => {
            const report = injectionReport(text);
            maxScore = Math.max(maxScore, report.score);
            if (report.score <= threshold) return;
            const evidence = report.hits
              .slice(0, 5)
              .map((h) => `${h.signal} at ${h.start}–${h.end}`)
              .join(', ');
            injections.push({
              nodeId,
              check: 'injection',
              name: 'prompt_injection',
              severity: report.score >= 0.8 ? 'high' : 'medium',
              path,
              message: `injection score ${report.score} over ${threshold}: ${evidence}`,
              action,
            });
          }
        : undefined,
    });
    problems.push(...injections);
    const detected = detectorFindings(nodeId, walked.matches, action);
    const findings = [...problems, ...detected];
    const details: Record<string, unknown> = {
      action,
      bytes,
      maxBytes: config.maxBytes,
      counts: countBy(findings),
      ...(config.injection.enabled ? { injectionScore: maxScore } : {}),
    };
    if (findings.length === 0) return { output: input, details };
    if (action === 'block') throw blockedError(findings, 'validation blocked');
    if (action === 'redact' && problems.length > 0) {
      throw blockedError(
        problems,
        'validation blocked (size, schema, rule and injection findings cannot be redacted)',
      );
    }
    if (action === 'redact') {
      return { output: walked.value, findings, details: { ...details, redacted: walked.matches.length } };
    }
    return { output: input, findings, details };
  },
};
