import { InspectorField, type NodeDefinition, Port } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createRegistry } from './define.js';
import { getKind, isNodeKind, registry } from './registry.js';

const KINDS = [
  'trigger',
  'ai',
  'validator',
  'gate',
  'transform',
  'branch',
  'http',
  'human',
  'subflow',
  'output',
];

/** The zod schema at a dot path of an object schema, looking through optional/default wrappers. */
function schemaAt(schema: z.core.$ZodType, key: string): z.core.$ZodType | undefined {
  let current: z.core.$ZodType | undefined = schema;
  for (const part of key.split('.')) {
    current = unwrap(current);
    if (!(current instanceof z.ZodObject)) return undefined;
    const shape: Record<string, z.core.$ZodType> = current.shape;
    current = shape[part];
  }
  return current;
}

function unwrap(schema: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let current = schema;
  for (let i = 0; i < 10 && current; i++) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault) current = current.unwrap();
    else if (current instanceof z.ZodPipe) current = current.in;
    else break;
  }
  return current;
}

/** Object schemas of a config: the discriminated union's options, or the object itself. */
function objectSchemas(schema: z.core.$ZodType): z.core.$ZodType[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodDiscriminatedUnion) return [...inner.options];
  return inner ? [inner] : [];
}

describe('registry', () => {
  test('holds every kind of DESIGN §3 once', () => {
    expect(registry.map((d) => d.kind)).toEqual(KINDS);
    for (const kind of KINDS) expect(isNodeKind(kind)).toBe(true);
    expect(isNodeKind('fax')).toBe(false);
    expect(getKind('fax')).toBeUndefined();
    expect(getKind('gate').kind).toBe('gate');
  });

  test('a duplicate kind throws', () => {
    const ai = getKind('ai');
    expect(() => createRegistry([ai, getKind('gate'), ai])).toThrow(/"ai" is registered twice/);
  });

  test.each(registry.map((d) => [d.kind, d] as const))(
    '%s: default config, ports and fields are sound',
    (_, def) => {
      const definition: NodeDefinition = def;
      const config = definition.configSchema.parse(definition.defaultConfig);
      expect(definition.configSchema.parse(config)).toEqual(config);
      for (const port of [...definition.inputs(config), ...definition.outputs(config)])
        expect(Port.parse(port)).toEqual(port);
      expect(definition.typeVersion).toBeGreaterThanOrEqual(1);
      expect(definition.title.length).toBeGreaterThan(0);
      expect(definition.description.length).toBeGreaterThan(0);
      for (const site of definition.expressions(config)) expect(site.path[0]).toBe('config');
      const keys = new Set<string>();
      for (const field of definition.fields) {
        expect(InspectorField.parse(field)).toEqual(field);
        expect(keys.has(field.key)).toBe(false);
        keys.add(field.key);
        // Every field edits a key the config schema has (in at least one variant of a union).
        const found = objectSchemas(definition.configSchema).some(
          (s) => schemaAt(s, field.key) !== undefined,
        );
        expect(found, `${definition.kind}: field "${field.key}"`).toBe(true);
        if (field.options) expect(field.editor === 'select' || field.editor === 'tags').toBe(true);
        if (field.editor === 'list') expect(field.itemFields?.length).toBeGreaterThan(0);
        if (field.visibleWhen)
          expect(keys.has(field.visibleWhen.key) || field.visibleWhen.key.includes('.')).toBe(true);
      }
    },
  );

  test.each(registry.map((d) => [d.kind, d] as const))(
    '%s: every top-level config key has a field',
    (_, def) => {
      const definition: NodeDefinition = def;
      const fieldRoots = new Set(definition.fields.map((f) => f.key.split('.')[0]));
      for (const schema of objectSchemas(definition.configSchema)) {
        const inner = unwrap(schema);
        if (!(inner instanceof z.ZodObject)) continue;
        for (const key of Object.keys(inner.shape))
          expect(fieldRoots.has(key), `${definition.kind}: ${key}`).toBe(true);
      }
    },
  );
});
