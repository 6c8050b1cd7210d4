import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  canonicalJson,
  type ChainEvent,
  eventHash,
  genesisHash,
  hashedEvent,
  sha256Hex,
  verifyChain,
} from './chain';

describe('canonicalJson', () => {
  test.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: { y: [3, { b: null, a: true }] } }, '{"z":{"y":[3,{"a":true,"b":null}]}}'],
    [{ a: undefined, b: 'x' }, '{"b":"x"}'],
    [[1.5, -0, 1e21, 'é"\n'], '[1.5,0,1e+21,"é\\"\\n"]'],
    // UTF-16 code unit order, as RFC 8785: upper case before lower case, "é" after ASCII.
    [{ é: 1, b: 2, B: 3, '10': 4, '9': 5 }, '{"10":4,"9":5,"B":3,"b":2,"é":1}'],
    ['plain', '"plain"'],
    [null, 'null'],
  ])('%j → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  test.each([
    ['NaN', { a: Number.NaN }, '$.a is NaN'],
    ['Infinity', [Number.POSITIVE_INFINITY], '$[0] is Infinity'],
    ['a function', { f: () => 1 }, '$.f is function'],
    ['a bigint', { n: 1n }, '$.n is bigint'],
    ['a Date', { d: new Date(0) }, '$.d is Date'],
    ['a Map', new Map(), '$ is Map'],
    ['undefined in an array', [undefined], '$[0] is undefined'],
  ])('refuses %s', (_label, value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
  });

  test('is independent of key order and round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
      }),
    );
  });
});

function chain(length: number): Array<ChainEvent & { prevHash: string; hash: string }> {
  const events: Array<ChainEvent & { prevHash: string; hash: string }> = [];
  let prevHash = genesisHash;
  for (let seq = 1; seq <= length; seq++) {
    const event: ChainEvent = {
      workspaceId: 'w1',
      runId: null,
      seq,
      type: 'member.added',
      payload: { n: seq, tags: ['a', 'b'] },
      actorId: seq % 2 ? 'u1' : null,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq, 123)),
    };
    const hash = eventHash(prevHash, event);
    events.push({ ...event, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

describe('event chain', () => {
  test('hash = sha256(prevHash ‖ canonical event)', () => {
    const [first] = chain(1);
    const body =
      '{"actorId":"u1","createdAt":"2026-01-01T00:00:01.123Z","payload":{"n":1,"tags":["a","b"]},' +
      '"runId":null,"seq":1,"type":"member.added","workspaceId":"w1"}';
    expect(first?.prevHash).toBe('0'.repeat(64));
    expect(first?.hash).toBe(sha256Hex(genesisHash + body));
  });

  test('the payload text kept beside the hash is its canonical JSON, and the hash covers the event as one', () => {
    const text = fc.string({ unit: 'binary' });
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.option(text, { nil: null }),
        fc.option(text, { nil: null }),
        text,
        fc.nat(),
        fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }),
        (payload, actorId, runId, type, seq, createdAt) => {
          const event: ChainEvent = { workspaceId: 'w1', runId, seq, type, payload, actorId, createdAt };
          const whole = canonicalJson({ ...event, createdAt: createdAt.toISOString() });
          const hashed = hashedEvent('ab'.repeat(32), event);
          expect(hashed.payloadJson).toBe(canonicalJson(payload));
          expect(hashed.hash).toBe(sha256Hex('ab'.repeat(32) + whole));
        },
      ),
    );
    const lacking = { workspaceId: 'w1', runId: null, seq: 1, type: 't', createdAt: new Date(0) };
    const noPayload = { ...lacking, actorId: null, payload: undefined };
    expect(eventHash(genesisHash, noPayload)).toBe(
      sha256Hex(genesisHash + canonicalJson({ ...noPayload, createdAt: new Date(0).toISOString() })),
    );
  });

  test('an intact chain verifies', () => {
    expect(verifyChain(chain(5))).toEqual({ ok: true, length: 5 });
    expect(verifyChain([])).toEqual({ ok: true, length: 0 });
  });

  test.each([
    [
      'a changed payload',
      (e: ReturnType<typeof chain>) => (e[2] = { ...e[2]!, payload: { n: 99 } }),
      3,
      'content',
    ],
    [
      'a changed actor',
      (e: ReturnType<typeof chain>) => (e[1] = { ...e[1]!, actorId: 'mallory' }),
      2,
      'content',
    ],
    ['a removed event', (e: ReturnType<typeof chain>) => e.splice(1, 1), 2, 'sequence'],
    ['reordered events', (e: ReturnType<typeof chain>) => e.reverse(), 1, 'sequence'],
    [
      'a re-hashed event',
      (e: ReturnType<typeof chain>) => {
        const { prevHash, hash: _hash, ...event } = e[1]!;
        e[1] = {
          ...event,
          payload: { n: 0 },
          prevHash,
          hash: eventHash(prevHash, { ...event, payload: { n: 0 } }),
        };
      },
      3,
      'prevHash',
    ],
  ])('detects %s', (_label, tamper, seq, reason) => {
    const events = chain(4);
    tamper(events);
    const verdict = verifyChain(events);
    expect(verdict.ok).toBe(false);
    expect(verdict).toMatchObject({ seq, reason: expect.stringContaining(reason) });
  });
});
