import {
  ALL_DIAGNOSTIC_CODES,
  compile,
  type DiagnosticCode,
  evaluateExpression,
  type NodeDefinition,
} from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { fixtureGraph, loadFixtures } from '../test/fixtures.js';
import { transformNode } from './transform/definition.js';
import { registry } from './registry.js';

/** Codes no fixture can show: run-time expression failures and a broken kind definition. */
function triggeredOutsideFixtures(): DiagnosticCode[] {
  const codes: DiagnosticCode[] = [];
  const runtime = [
    evaluateExpression('input.missing', { input: {} }),
    evaluateExpression('size(input)', { input: Array.from({ length: 2000 }, () => 0) }),
    evaluateExpression('9007199254740993', {}),
  ];
  for (const result of runtime) if (!result.ok) codes.push(result.problem.code);
  const broken: NodeDefinition = {
    ...transformNode,
    checks: () => {
      throw new Error('bug in a kind');
    },
  };
  const withBrokenKind = registry.map((d) => (d.kind === 'transform' ? broken : d));
  codes.push(...compile(fixtureGraph('invoice-processing'), withBrokenKind).diagnostics.map((d) => d.code));
  return codes;
}

describe('diagnostic codes', () => {
  test('every code is triggered by a fixture or a test', () => {
    const fromFixtures = loadFixtures('invalid').flatMap((f) => {
      const result = compile(f.graph, registry, f.policy ? { policy: f.policy } : {});
      return result.diagnostics.map((d) => d.code);
    });
    const seen = new Set<DiagnosticCode>([...fromFixtures, ...triggeredOutsideFixtures()]);
    const missing = ALL_DIAGNOSTIC_CODES.filter((code) => !seen.has(code));
    expect(missing).toEqual([]);
  });

  test('run-time codes', () => {
    expect(triggeredOutsideFixtures()).toEqual(expect.arrayContaining(['SL412', 'SL413', 'SL414', 'SL009']));
  });
});
