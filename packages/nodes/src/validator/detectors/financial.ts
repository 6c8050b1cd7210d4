// Payment card numbers (Luhn and issuer ranges) and IBANs (country length and mod-97).
import { IBAN_LENGTHS, ibanValid, luhnValid } from './checksums.js';
import { digitsOf, type PatternSpec, type Span } from './pattern.js';

/** Issuer ranges and lengths of the card networks; a Luhn-valid number outside them is not reported. */
export function cardIssuerPlausible(digits: string): boolean {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  if (digits.startsWith('4')) return n === 13 || n === 16 || n === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return n === 15; // American Express
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return n >= 16 && n <= 19; // Discover
  if (p2 === 62) return n >= 16 && n <= 19; // UnionPay
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19; // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14 && n <= 19; // Diners
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 13 && n <= 19; // Maestro
  return false;
}

/** A payment card number: issuer range, length and Luhn, and not one digit repeated. */
export function cardNumberValid(digits: string): boolean {
  return (
    digits.length >= 13 &&
    digits.length <= 19 &&
    !/^(\d)\1+$/.test(digits) &&
    cardIssuerPlausible(digits) &&
    luhnValid(digits)
  );
}

/** Contiguous (`4111111111111111`) or grouped as printed: 4-4-4-4(-3), 4-6-5 and 4-6-4. */
const creditCard: PatternSpec = {
  detector: 'credit_card',
  kind: 'credit_card',
  needs: /\d{4}/,
  pattern:
    /(?<![\w.,/-]|\d{4}[ -])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\w]|[.,/-]\d)/g,
  accept: (m, _text, span) => (cardNumberValid(digitsOf(m[0])) ? span : undefined),
};

/**
 * An IBAN, contiguous or in groups of four. The match may run into a following group of letters or
 * digits, so it is cut to the country's length before the checksum.
 */
const iban: PatternSpec = {
  detector: 'iban',
  kind: 'iban',
  needs: /[A-Z]{2}\d{2}/,
  pattern: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g,
  accept: (m, _text, span): Span | undefined => {
    const expected = IBAN_LENGTHS[m[0].slice(0, 2)];
    if (expected === undefined) return undefined;
    let compact = '';
    let end = span.start;
    for (let i = 0; i < m[0].length && compact.length < expected; i++) {
      const ch = m[0][i] ?? '';
      if (ch !== ' ') compact += ch;
      end = span.start + i + 1;
    }
    if (compact.length !== expected || !ibanValid(compact)) return undefined;
    return { start: span.start, end };
  },
};

export const financialPatterns: readonly PatternSpec[] = [creditCard, iban];
