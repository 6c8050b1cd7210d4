import { describe, expect, it } from 'vitest';
import { diffPayloads, keyPath, sameJson, shortValue } from './payload-diff';

describe('diffPayloads', () => {
  it('finds nothing between equal payloads, whatever their key order', () => {
    expect(diffPayloads({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual({
      changes: [],
      truncated: false,
    });
  });

  it('names added, removed and changed paths with old and new values', () => {
    const before = { summary: 'Pay 10', input: { amount: 10, to: 'acme', memo: 'x' } };
    const after = { summary: 'Pay 12', input: { amount: 12, to: 'acme', note: 'urgent' } };
    expect(diffPayloads(before, after).changes).toEqual([
      { kind: 'changed', path: 'summary', before: 'Pay 10', after: 'Pay 12' },
      { kind: 'changed', path: 'input.amount', before: 10, after: 12 },
      { kind: 'added', path: 'input.note', after: 'urgent' },
      { kind: 'removed', path: 'input.memo', before: 'x' },
    ]);
  });

  it('compares arrays item by item and names grown or shrunk ends', () => {
    expect(
      diffPayloads({ items: [{ p: 1 }, { p: 2 }] }, { items: [{ p: 1 }, { p: 3 }, { p: 4 }] }).changes,
    ).toEqual([
      { kind: 'changed', path: 'items[1].p', before: 2, after: 3 },
      { kind: 'added', path: 'items[2]', after: { p: 4 } },
    ]);
    expect(diffPayloads([1, 2, 3], [1]).changes).toEqual([
      { kind: 'removed', path: '[1]', before: 2 },
      { kind: 'removed', path: '[2]', before: 3 },
    ]);
  });

  it('reports a change of type whole', () => {
    expect(diffPayloads({ a: { b: 1 } }, { a: [1] }).changes).toEqual([
      { kind: 'changed', path: 'a', before: { b: 1 }, after: [1] },
    ]);
    expect(diffPayloads('old', 'new').changes).toEqual([
      { kind: 'changed', path: '', before: 'old', after: 'new' },
    ]);
    expect(diffPayloads({ a: null }, { a: 0 }).changes).toEqual([
      { kind: 'changed', path: 'a', before: null, after: 0 },
    ]);
  });

  it('quotes keys that are not plain names', () => {
    expect(diffPayloads({}, { 'e-mail': 'a@b.test', 'x.y': 1 }).changes.map((c) => c.path)).toEqual([
      '["e-mail"]',
      '["x.y"]',
    ]);
    expect(keyPath('input', 'first name')).toBe('input["first name"]');
    expect(keyPath('input', '__proto__')).toBe('input.__proto__');
  });

  it('stops at the limit and says so', () => {
    const before = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    const after = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i + 1]));
    const diff = diffPayloads(before, after, { limit: 3 });
    expect(diff.changes.map((c) => c.path)).toEqual(['k0', 'k1', 'k2']);
    expect(diff.truncated).toBe(true);
  });

  it('reports a difference below the depth bound whole', () => {
    const deep = (leaf: number) => ({ a: { b: { c: { d: leaf } } } });
    expect(diffPayloads(deep(1), deep(2), { maxDepth: 2 }).changes).toEqual([
      { kind: 'changed', path: 'a.b', before: { c: { d: 1 } }, after: { c: { d: 2 } } },
    ]);
  });
});

describe('sameJson and shortValue', () => {
  it('compares JSON values structurally', () => {
    expect(sameJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
  });

  it('keeps a value on one short line', () => {
    expect(shortValue({ a: 'x' })).toBe('{"a":"x"}');
    expect(shortValue('y'.repeat(300), 10)).toBe(`"${'y'.repeat(8)}…`);
    expect(shortValue(undefined)).toBe('undefined');
  });
});
