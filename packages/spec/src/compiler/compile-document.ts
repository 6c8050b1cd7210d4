import { isRecord } from '../guards.js';
import type { NodeRegistry } from '../node-definition.js';
import { specToGraph } from '../spec-to-graph.js';
import { upgradeSpec } from '../upgrade.js';
import { compile, type CompileResult, type CompilerOptions } from './compile.js';

/**
 * Compiles either kind of document a user may hand the CLI: an editor graph (`graphVersion`) or a
 * spec (`specVersion`, upgraded first, then laid out and compiled again so every check runs).
 *
 * @example
 * const result = compileDocument(JSON.parse(readFileSync(file, 'utf8')), registry);
 */
export function compileDocument(
  doc: unknown,
  registry: NodeRegistry,
  options: CompilerOptions = {},
): CompileResult {
  if (isRecord(doc) && 'specVersion' in doc) {
    const upgraded = upgradeSpec(doc);
    if (!upgraded.ok)
      return { spec: null, diagnostics: upgraded.diagnostics, ownership: [], hash: null, analysis: {} };
    return compile(specToGraph(upgraded.spec), registry, options);
  }
  return compile(doc, registry, options);
}
