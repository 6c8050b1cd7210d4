// The editor's pure model: history, graph edits, wire checks and fixes, against the real registry
// and compiler.
import { registry } from '@sluice/nodes';
import { compile } from '@sluice/spec';
import { describe, expect, it } from 'vitest';
import type { EditorGraph } from '../api/contract';
import { fixesFor } from './fixes';
import { addNode, connect, copy, getAt, newNode, paste, remove, setAt } from './graph-ops';
import { commit, redo, startHistory, undo } from './history';
import { connectionProblem, portsOf } from './ports';

function base(): EditorGraph {
  return {
    graphVersion: 1,
    metadata: { name: 'Answers', description: '', ownerTeam: 'support' },
    access: { trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] },
    nodes: [
      {
        id: 'start',
        kind: 'trigger',
        typeVersion: 1,
        label: 'Start',
        owner: 'support',
        position: { x: 0, y: 0 },
        config: { type: 'manual', input: { type: 'object', properties: { text: { type: 'string' } } } },
      },
    ],
    edges: [],
  };
}

/** start → ai (openai) → out */
function chain() {
  let g = base();
  const ai = newNode(g, 'ai', { x: 300, y: 0 });
  g = addNode(g, ai);
  const out = newNode(g, 'output', { x: 600, y: 0 });
  g = addNode(g, out);
  g = connect(g, { source: 'start', sourceHandle: 'out', target: ai.id, targetHandle: 'in' });
  g = connect(g, { source: ai.id, sourceHandle: 'out', target: out.id, targetHandle: 'in' });
  return { g, ai: ai.id, out: out.id };
}

describe('history', () => {
  it('undoes and redoes commits; typing in one field is one step', () => {
    const a = base();
    const b = { ...a, metadata: { ...a.metadata, name: 'B' } };
    const c = { ...a, metadata: { ...a.metadata, name: 'BC' } };
    let h = commit(commit(startHistory(a), b, 'name'), c, 'name');
    expect(h.past).toEqual([a]);
    h = undo(h);
    expect(h.present).toBe(a);
    h = redo(h);
    expect(h.present).toBe(c);
    expect(commit(h, h.present)).toBe(h);
  });
});

describe('graph edits', () => {
  it('adds nodes with fresh ids and the kind defaults, removes nodes with their wires', () => {
    const { g, ai } = chain();
    expect(ai).toBe('ai_1');
    expect(g.nodes.find((n) => n.id === ai)).toMatchObject({ label: 'AI step', owner: 'support' });
    const after = remove(g, new Set([ai]), new Set());
    expect(after.edges).toEqual([]);
    expect(after.nodes.map((n) => n.id)).toEqual(['start', 'output_1']);
  });

  it('pastes copies with fresh ids, shifted, with the wires between them', () => {
    const { g, ai, out } = chain();
    const done = paste(g, copy(g, new Set([ai, out])));
    expect(done.pasted).toEqual(['ai_2', 'output_2']);
    expect(done.graph.edges.filter((e) => e.source === 'ai_2').map((e) => e.target)).toEqual(['output_2']);
    expect(done.graph.nodes.find((n) => n.id === 'ai_2')?.position).toEqual({ x: 340, y: 40 });
  });

  it('reads and writes dot paths through objects and lists', () => {
    const config = { tiers: [{ when: 'a', tier: 'auto' }], approvers: { roles: ['reviewer'] } };
    expect(getAt(config, 'tiers.0.when')).toBe('a');
    const next = setAt(config, 'tiers.0.when', 'b');
    expect(next).toEqual({ tiers: [{ when: 'b', tier: 'auto' }], approvers: { roles: ['reviewer'] } });
    expect(config.tiers[0]?.when).toBe('a');
    expect(setAt(config, 'approvers.roles', undefined)).toEqual({ tiers: config.tiers, approvers: {} });
  });
});

describe('wires', () => {
  it('uses the ports each kind declares', () => {
    const g = addNode(base(), newNode(base(), 'gate', { x: 0, y: 0 }));
    const gate = g.nodes.find((n) => n.kind === 'gate');
    if (!gate) throw new Error('no gate');
    expect(portsOf(gate).outputs.map((p) => p.name)).toEqual(['approved', 'rejected']);
  });

  it.each([
    [
      'a loop',
      { source: 'output_1', sourceHandle: 'out', target: 'ai_1', targetHandle: 'in' },
      /no output port/,
    ],
    [
      'itself',
      { source: 'ai_1', sourceHandle: 'out', target: 'ai_1', targetHandle: 'in' },
      /cannot feed itself/,
    ],
    [
      'the same twice',
      { source: 'ai_1', sourceHandle: 'out', target: 'output_1', targetHandle: 'in' },
      /already wired/,
    ],
    [
      'into a trigger',
      { source: 'ai_1', sourceHandle: 'out', target: 'start', targetHandle: 'in' },
      /no input port/,
    ],
  ])('refuses %s and says why', (_name, wire, reason) => {
    expect(connectionProblem(chain().g, wire)).toMatch(reason);
  });

  it('refuses a cycle and data the target does not accept', () => {
    const start = chain();
    const ai = start.ai;
    let g = start.g;
    const check = newNode(g, 'validator', { x: 0, y: 0 });
    g = connect(addNode(g, check), { source: ai, sourceHandle: 'out', target: check.id, targetHandle: 'in' });
    expect(
      connectionProblem(g, { source: check.id, sourceHandle: 'out', target: ai, targetHandle: 'in' }),
    ).toMatch(/loop/);
    const strict = newNode(g, 'output', { x: 0, y: 0 });
    strict.config = {
      mapping: {},
      schema: { type: 'object', properties: { id: { type: 'number' } }, required: ['id'] },
    };
    g = addNode(g, strict);
    expect(
      connectionProblem(g, { source: ai, sourceHandle: 'out', target: strict.id, targetHandle: 'in' }),
    ).toMatch(/does not fit/);
    expect(
      connectionProblem(g, { source: 'start', sourceHandle: 'out', target: check.id, targetHandle: 'in' }),
    ).toBeNull();
  });
});

describe('fixes', () => {
  it('inserts a redactor into a wire that carries data above the target’s clearance', () => {
    const { g, ai } = chain();
    const before = compile(g, registry);
    const problem = before.diagnostics.find((d) => d.code === 'SL501');
    if (!problem) throw new Error('expected SL501');
    const [redact] = fixesFor(problem, before.analysis);
    const done = redact?.apply(g);
    if (!done) throw new Error('the fix did not apply');
    const after = compile(done.graph, registry);
    expect(after.diagnostics.filter((d) => d.code === 'SL501')).toEqual([]);
    const redactor = done.graph.nodes.find((n) => n.id === done.select);
    expect(redactor).toMatchObject({
      kind: 'validator',
      config: { onFailure: 'redact', guarantees: 'public' },
    });
    expect(done.graph.edges.some((e) => e.source === redactor?.id && e.target === ai)).toBe(true);
  });

  it('adds the missing output', () => {
    const g = base();
    const result = compile(g, registry);
    const missing = result.diagnostics.find((d) => d.code === 'SL109');
    if (!missing) throw new Error('expected SL109');
    const done = fixesFor(missing, result.analysis)[0]?.apply(g);
    expect(done?.graph.nodes.map((n) => n.kind)).toEqual(['trigger', 'output']);
    expect(compile(done?.graph, registry).diagnostics.some((d) => d.code === 'SL109')).toBe(false);
  });
});
