import { type Diagnostic, diagnostic } from './diagnostics.js';
import { zodIssuesToDiagnostics } from './compiler/zod-issues.js';
import { isRecord } from './guards.js';
import { SPEC_VERSION, Spec } from './spec.js';

/** One step of the upgrade path: turns a document of `from` into one of `to`. */
export interface SpecUpgradeStep {
  from: string;
  to: string;
  upgrade(doc: Record<string, unknown>): Record<string, unknown>;
}

/**
 * The upgrade path, one small function per format step (CONVENTIONS 4). `sluice/v1` is the first
 * format, so there are no steps yet; the next format adds `{ from: 'sluice/v1', to: 'sluice/v2' }`.
 * Node configs are upgraded per kind by the compiler (`NodeDefinition.upgrades`, keyed by typeVersion).
 */
export const SPEC_UPGRADES: readonly SpecUpgradeStep[] = [];

export type UpgradeResult =
  { ok: true; spec: Spec; applied: string[] } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Brings a stored spec document to `sluice/v1`, step by step, then validates it. Never throws.
 *
 * @example
 * const result = upgradeSpec(JSON.parse(text));
 * if (result.ok) run(result.spec);
 */
export function upgradeSpec(doc: unknown, steps: readonly SpecUpgradeStep[] = SPEC_UPGRADES): UpgradeResult {
  if (!isRecord(doc))
    return { ok: false, diagnostics: [diagnostic('SL001', 'the spec is not a JSON object')] };
  let current: Record<string, unknown> = doc;
  const applied: string[] = [];
  for (let guard = 0; current.specVersion !== SPEC_VERSION; guard++) {
    const version = current.specVersion;
    const step = steps.find((s) => s.from === version);
    if (!step || guard > steps.length) {
      return {
        ok: false,
        diagnostics: [
          diagnostic(
            'SL004',
            `specVersion ${JSON.stringify(version)} is not supported; this Sluice reads ${SPEC_VERSION}`,
            {
              path: ['specVersion'],
            },
          ),
        ],
      };
    }
    try {
      current = { ...step.upgrade(current), specVersion: step.to };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        diagnostics: [diagnostic('SL004', `upgrading ${step.from} → ${step.to} failed: ${reason}`)],
      };
    }
    applied.push(`${step.from} → ${step.to}`);
  }
  const parsed = Spec.safeParse(current);
  if (!parsed.success)
    return { ok: false, diagnostics: zodIssuesToDiagnostics(parsed.error.issues, 'SL001', [], {}) };
  return { ok: true, spec: parsed.data, applied };
}
