// Hostile input must finish (linear patterns, no catastrophic backtracking), and properties that
// hold for every generated value: Luhn-valid card numbers are found, redaction never leaves a match.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { injectionReport } from '../injection/index.js';
import { luhnCheckDigit } from './checksums.js';
import { ALL_DETECTORS, redactPayload, scanPayload, scanText } from './index.js';

const N = 200_000;
const adversarial: [string, string][] = [
  ['letters', 'a'.repeat(N)],
  ['digits', '1'.repeat(N)],
  ['local parts without @', 'a.'.repeat(N / 2)],
  ['at signs', 'a@'.repeat(N / 2)],
  ['domains without tld', `a@${'b-'.repeat(N / 2)}`],
  ['plus digits', '+1 '.repeat(N / 3)],
  ['digit groups', '1234 '.repeat(N / 5)],
  ['dotted digits', '1.'.repeat(N / 2)],
  ['colons', 'a:'.repeat(N / 2)],
  ['hex colons', '1:'.repeat(N / 2)],
  ['base64', 'QUJD'.repeat(N / 4)],
  ['hex', 'ab'.repeat(N / 2)],
  ['pem headers', '-----BEGIN RSA PRIVATE KEY-----'.repeat(N / 32)],
  ['jwt prefixes', 'eyJhbGci.'.repeat(N / 9)],
  ['bearer', `Bearer ${'x'.repeat(N)}`],
  ['ignore words', 'ignore all previous '.repeat(N / 20)],
  ['markdown images', '![a]('.repeat(N / 5)],
  ['zero width', '\u200B'.repeat(N)],
  ['tag characters', '\u{E0041}'.repeat(N / 2)],
  ['capitalised words', '1 Ab '.repeat(N / 5)],
  ['iban-ish', 'DE89 '.repeat(N / 5)],
  ['sk dashes', `sk-${'-'.repeat(N)}`],
];

describe('hostile input completes', () => {
  test.each(adversarial)(
    '%s',
    (_name, text) => {
      expect(Array.isArray(scanText(text, ALL_DETECTORS))).toBe(true);
      expect(injectionReport(text).score).toBeGreaterThanOrEqual(0);
    },
    60_000,
  );
});

const cardPrefixes = ['4', '51', '55', '2221', '34', '37', '6011', '65', '3530'];
const lengthFor = (prefix: string) => (prefix.startsWith('3') && prefix.length === 2 ? 15 : 16);

describe('properties', () => {
  test('every Luhn-completed number in an issuer range is found as a card', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...cardPrefixes),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 16, maxLength: 16 }),
        fc.constantFrom('', ' ', '-'),
        (prefix, body, separator) => {
          const payload = (prefix + body.join('')).slice(0, lengthFor(prefix) - 1);
          const digits = payload + luhnCheckDigit(payload);
          fc.pre(!/^(\d)\1+$/.test(digits));
          const written =
            separator && digits.length === 16 ? (digits.match(/\d{4}/g) ?? []).join(separator) : digits;
          const text = `card ${written} thanks`;
          const found = scanText(text, ['credit_card']);
          expect(found.map((m) => text.slice(m.start, m.end))).toEqual([written]);
        },
      ),
    );
  });

  test('a number with a wrong check digit is never found', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...cardPrefixes),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 16, maxLength: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (prefix, body, offset) => {
          const payload = (prefix + body.join('')).slice(0, lengthFor(prefix) - 1);
          const wrong = (Number(luhnCheckDigit(payload)) + offset) % 10;
          expect(scanText(`card ${payload}${wrong}`, ['credit_card'])).toEqual([]);
        },
      ),
    );
  });

  const secretLike = fc.constantFrom(
    'ada@example.com',
    '+44 20 7946 0958',
    '4111 1111 1111 1111',
    'DE89 3704 0044 0532 0130 00',
    '536-22-1234',
    '192.168.1.20',
    'AKIAIOSFODNN7EXAMPLE',
    'X1234567L',
  );

  test('redaction leaves no match behind and keeps the text around it', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        secretLike,
        fc.string({ maxLength: 30 }),
        (pre, value, post) => {
          const text = `${pre} ${value} ${post}`;
          const { value: redacted } = redactPayload({ text, list: [text] });
          const serialized = JSON.stringify(redacted);
          expect(serialized).not.toContain(value);
          expect(scanPayload(redacted)).toEqual([]);
        },
      ),
    );
  });

  test('paths are JSON Pointers to the strings that matched', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), secretLike, (key, value) => {
        fc.pre(scanText(key, ALL_DETECTORS).length === 0);
        const matches = scanPayload({ outer: { [key]: [`x ${value}`] } });
        const escaped = key.replace(/~/g, '~0').replace(/\//g, '~1');
        expect(matches.length).toBeGreaterThan(0);
        for (const m of matches) expect(m.path).toBe(`/outer/${escaped}/0`);
      }),
    );
  });
});
