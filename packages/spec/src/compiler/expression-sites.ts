import { type Diagnostic, diagnostic, type PathSegment } from '../diagnostics.js';
import { checkInEnvironment, type ExpressionCheck } from '../expressions/check.js';
import type { TypedEnvironment } from '../expressions/environment.js';
import type { ExpressionLimits } from '../expressions/limits.js';
import { parseTemplate } from '../expressions/template.js';
import type { JsonSchema } from '../json-schema.js';
import type { ExpressionSite } from '../node-definition.js';

/**
 * Check results shared by every node of one compiler: environment key → mode → source → result.
 * Nested maps keep the keys short (a source string hashes once).
 */
export type CheckCache = Map<string, Record<ExpressionSite['mode'], Map<string, ExpressionCheck>>>;

const CHECK_CACHE_SIZE = 20_000;

/** The key a site's inferred type is stored under (for `PortTypeContext.typeOf`). */
export function siteKey(path: readonly PathSegment[]): string {
  return path.join('\u0000');
}

function cachedCheck(
  cache: CheckCache,
  envKey: string,
  typed: TypedEnvironment,
  source: string,
  mode: ExpressionSite['mode'],
  limits: ExpressionLimits,
): ExpressionCheck {
  let byMode = cache.get(envKey);
  if (!byMode) {
    byMode = { condition: new Map(), value: new Map(), template: new Map() };
    cache.set(envKey, byMode);
  }
  const bySource = byMode[mode];
  let result = bySource.get(source);
  if (!result) {
    result = checkInEnvironment(typed, source, mode, limits);
    if (bySource.size >= CHECK_CACHE_SIZE) bySource.clear();
    bySource.set(source, result);
  }
  return result;
}

function report(
  out: Diagnostic[],
  nodeId: string,
  check: ExpressionCheck,
  path: PathSegment[],
  offset: number,
): void {
  if (check.ok) return;
  const { code, message, hint, range } = check.problem;
  out.push(
    diagnostic(code, message, {
      nodeId,
      path,
      ...(hint ? { hint } : {}),
      ...(range ? { range: { start: range.start + offset, end: range.end + offset } } : {}),
    }),
  );
}

/**
 * Checks a node's expressions in its typed environment. Value expressions record their inferred
 * schema under their path (for output type inference); failures become SL4xx diagnostics pointing at
 * the path, with the character range inside the expression or template.
 */
export function checkSites(
  nodeId: string,
  sites: readonly ExpressionSite[],
  typed: TypedEnvironment,
  envKey: string,
  limits: ExpressionLimits,
  cache: CheckCache,
  types: Map<string, JsonSchema> | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const site of sites) {
    const path = site.path;
    if (site.mode !== 'template') {
      const check = cachedCheck(cache, envKey, typed, site.source, site.mode, limits);
      if (check.ok) types?.set(siteKey(path), check.schema);
      else report(out, nodeId, check, path, 0);
      continue;
    }
    if (site.source.length > limits.maxTemplateLength) {
      out.push(
        diagnostic('SL404', `the template is longer than ${limits.maxTemplateLength} characters`, {
          nodeId,
          path,
        }),
      );
      continue;
    }
    const parsed = parseTemplate(site.source, limits.maxTemplateParts);
    if (!parsed.ok) {
      out.push(
        diagnostic('SL408', parsed.message, {
          nodeId,
          path,
          range: parsed.range,
          hint: 'write expressions as {{ expression }}; write \\{{ for a literal {{',
        }),
      );
      continue;
    }
    for (const part of parsed.parts) {
      if (!('expression' in part)) continue;
      report(
        out,
        nodeId,
        cachedCheck(cache, envKey, typed, part.expression, 'value', limits),
        path,
        part.range.start,
      );
    }
  }
  return out;
}
