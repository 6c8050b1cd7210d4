import { describe, expect, test } from 'vitest';
import { EditorGraph, GraphEdge, GraphNode } from './graph.js';
import { JsonSchema } from './json-schema.js';
import { Access } from './roles.js';
import { Spec } from './spec.js';
import { Compensation, Retry } from './step-options.js';
import { TriggerConfig } from './trigger.js';

const node = {
  id: 'a',
  kind: 'transform',
  typeVersion: 1,
  label: 'A',
  owner: 'ops',
  position: { x: 0, y: 0 },
  config: {},
};
const access = { trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] };

describe('boundary schemas', () => {
  test.each<[string, { safeParse(v: unknown): { success: boolean } }, unknown]>([
    ['node', GraphNode, node],
    [
      'node with step options',
      GraphNode,
      { ...node, timeoutMs: 5000, retry: { maxAttempts: 2 }, classification: 'internal' },
    ],
    ['node with React Flow extras', GraphNode, { ...node, selected: true, measured: { width: 10 } }],
    ['edge', GraphEdge, { id: 'e', source: 'a', sourceHandle: 'out', target: 'b', targetHandle: 'in' }],
    ['edge without handles', GraphEdge, { id: 'e', source: 'a', target: 'b' }],
    [
      'graph',
      EditorGraph,
      { graphVersion: 1, metadata: { name: 'W', ownerTeam: 't' }, access, nodes: [node], edges: [] },
    ],
    ['access', Access, access],
    ['retry', Retry, {}],
    ['compensation', Compensation, { type: 'manual', role: 'operator', instructions: 'undo it' }],
    ['manual trigger', TriggerConfig, { type: 'manual' }],
    ['webhook trigger', TriggerConfig, { type: 'webhook', secret: 'hook-key', respond: 'result' }],
    ['schedule trigger', TriggerConfig, { type: 'schedule', cron: '0 9 * * *' }],
    [
      'json schema',
      JsonSchema,
      { type: 'object', properties: { a: { type: ['string', 'null'] } }, 'x-extra': 1 },
    ],
  ])('accepts %s', (_, schema, value) => {
    expect(schema.safeParse(value).success).toBe(true);
  });

  test.each<[string, { safeParse(v: unknown): { success: boolean } }, unknown]>([
    ['node without position', GraphNode, { ...node, position: undefined }],
    ['node with a bad classification', GraphNode, { ...node, classification: 'secret' }],
    ['node with a zero timeout', GraphNode, { ...node, timeoutMs: 0 }],
    ['edge without target', GraphEdge, { id: 'e', source: 'a' }],
    [
      'graph of version 2',
      EditorGraph,
      { graphVersion: 2, metadata: { name: 'W', ownerTeam: 't' }, access, nodes: [], edges: [] },
    ],
    ['unknown role', Access, { ...access, approve: ['boss'] }],
    ['role twice', Access, { ...access, audit: ['auditor', 'auditor'] }],
    ['retry of 0 attempts', Retry, { maxAttempts: 0 }],
    ['retry with unknown key', Retry, { attempts: 3 }],
    ['trigger of unknown type', TriggerConfig, { type: 'email' }],
    ['webhook without secret', TriggerConfig, { type: 'webhook' }],
    ['trigger with a non-object input', TriggerConfig, { type: 'manual', input: { type: 'string' } }],
    ['json schema with a bad type', JsonSchema, { type: 'objekt' }],
  ])('refuses %s', (_, schema, value) => {
    expect(schema.safeParse(value).success).toBe(false);
  });
});

describe('Spec', () => {
  const spec = {
    specVersion: 'sluice/v1',
    metadata: { name: 'W', description: '', ownerTeam: 't' },
    trigger: {
      id: 'start',
      typeVersion: 1,
      label: 'Start',
      owner: 't',
      config: { type: 'manual', input: { type: 'object' } },
    },
    nodes: { done: { kind: 'output', typeVersion: 1, label: 'Done', owner: 't', config: {} } },
    edges: [{ from: { node: 'start', port: 'out' }, to: { node: 'done', port: 'in' } }],
    access,
  };

  test('a well-formed spec parses', () => {
    expect(Spec.parse(spec)).toEqual(spec);
  });

  test.each<[string, unknown]>([
    [
      'edge to a missing node',
      { ...spec, edges: [{ from: { node: 'start', port: 'out' }, to: { node: 'gone', port: 'in' } }] },
    ],
    ['trigger id reused by a node', { ...spec, nodes: { ...spec.nodes, start: spec.nodes.done } }],
    ['trigger kind among nodes', { ...spec, nodes: { t2: { ...spec.nodes.done, kind: 'trigger' } } }],
    ['other spec version', { ...spec, specVersion: 'sluice/v2' }],
    ['unknown root key', { ...spec, layout: {} }],
  ])('refuses %s', (_, value) => {
    expect(Spec.safeParse(value).success).toBe(false);
  });
});
