import { describe, expect, test } from 'vitest';
import { canonicalJsonBytes } from './canonical-bytes.js';
import { canonicalJson } from './canonical-json.js';
import { sha256Hex, specHash } from './sha256.js';

describe('canonicalJson', () => {
  test.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: { y: [3, { d: 1, c: 2 }] } }, '{"z":{"y":[3,{"c":2,"d":1}]}}'],
    [[true, null, 'x', 1.5, -0], '[true,null,"x",1.5,0]'],
    [{ skipped: undefined, kept: 0 }, '{"kept":0}'],
    [{ é: 1, e: 2, E: 3 }, '{"E":3,"e":2,"é":1}'],
    ['line\nbreak "quoted"', '"line\\nbreak \\"quoted\\""'],
  ])('%j → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  test.each([[1n], [Number.NaN], [Infinity], [() => 1], [Symbol('s')]])('refuses %s', (value) => {
    expect(() => canonicalJson({ value })).toThrow(TypeError);
  });

  test('refuses cycles', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => canonicalJson(a)).toThrow(/cycle/);
  });

  test('key order does not change the text', () => {
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
  });
});

describe('sha256Hex', () => {
  // Vectors from FIPS 180-2 and checked against OpenSSL (padding edges at 55, 56 and 64 bytes).
  test.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['a'.repeat(55), '9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318'],
    ['a'.repeat(56), 'b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a'],
    ['a'.repeat(64), 'ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    ['é€😀 unicode', '8d57a81b3316af5effc7a6385e80a8db6d88bd50c00b2cd01d44aa9dfe7fd259'],
    ['a'.repeat(1_000_000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ])('sha256(%#)', (text, hex) => {
    expect(sha256Hex(text)).toBe(hex);
  });

  test('hashes bytes', () => {
    expect(sha256Hex(new Uint8Array([0, 1, 2, 255]))).toBe(
      '3d1f57c984978ef98a18378c8166c1cb8ede02c03eeb6aee7e2f121dfeee3e56',
    );
  });

  test('specHash is the hash of the canonical JSON', () => {
    const value = { b: [1, 2], a: 'x' };
    expect(specHash(value)).toBe(sha256Hex('{"a":"x","b":[1,2]}'));
  });
});

describe('canonicalJsonBytes', () => {
  test.each([
    { b: 1, a: [true, null, -0.5, 1e21] },
    { é: 'ünïcödé', emoji: '😀', quote: '"\\', control: '\u0001\n', lone: '\ud800x' },
    [],
    'text',
  ])('is the UTF-8 of canonicalJson(%j)', (value) => {
    expect(new TextDecoder().decode(canonicalJsonBytes(value))).toBe(canonicalJson(value));
  });

  test('grows past its first buffer', () => {
    const big = { items: Array.from({ length: 20_000 }, (_, i) => ({ i, s: `item ${i}` })) };
    expect(new TextDecoder().decode(canonicalJsonBytes(big))).toBe(canonicalJson(big));
  });
});
