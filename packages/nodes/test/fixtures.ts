import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompilePolicy, DiagnosticCode } from '@sluice/spec';

/** A fixture file: a graph, the workspace policy to compile it under, and the codes it must produce. */
export interface Fixture {
  name: string;
  description: string;
  policy?: Partial<CompilePolicy>;
  expected: DiagnosticCode[];
  graph: unknown;
}

const root = join(import.meta.dirname, '..', 'src', '__fixtures__');

/** Loads `src/__fixtures__/<kind>/*.json`, sorted by name. */
export function loadFixtures(kind: 'valid' | 'invalid'): Fixture[] {
  const dir = join(root, kind);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<Fixture, 'name' | 'expected'> & {
        expected?: DiagnosticCode[];
      };
      return { ...data, name: file.replace(/\.json$/, ''), expected: data.expected ?? [] };
    });
}

/** One valid fixture's graph by name. */
export function fixtureGraph(name: string): unknown {
  const fixture = loadFixtures('valid').find((f) => f.name === name);
  if (!fixture) throw new Error(`no valid fixture "${name}"`);
  return structuredClone(fixture.graph);
}
