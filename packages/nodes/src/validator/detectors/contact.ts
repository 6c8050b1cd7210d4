// Email addresses, phone numbers and (heuristically) postal addresses.
import { digitsOf, type PatternSpec, type Span } from './pattern.js';

const email: PatternSpec = {
  detector: 'email',
  kind: 'email',
  needs: /@/,
  pattern:
    /(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z0-9])/g,
};

/** Phone numbers need 8–15 digits (E.164), not counting a written-out trunk `(0)`. */
function phoneDigits(min: number, max: number) {
  return (m: RegExpExecArray, _text: string, span: Span): Span | undefined => {
    const digits = digitsOf(m[0].replace('(0)', ''));
    return digits.length >= min && digits.length <= max ? span : undefined;
  };
}

/** `+44 20 7946 0958`, `+1 (415) 555-2671`, `+4915112345678`, `+44 (0)20 7946 0958`. */
const phoneInternational: PatternSpec = {
  detector: 'phone',
  kind: 'phone',
  needs: /\+/,
  pattern: /(?<![\w+])\+[1-9]\d{0,14}(?:[ .-]?\(\d{1,4}\)[ .-]?\d{1,6}|[ .-]\d{1,6}){0,7}(?![\w+]|[.-]\d)/g,
  accept: phoneDigits(8, 15),
};

/** North American numbers: `(415) 555-2671`, `415-555-2671`, `415.555.2671`, `415 555 2671`. */
const phoneNanp: PatternSpec = {
  detector: 'phone',
  kind: 'phone',
  needs: /\d{4}/,
  pattern:
    /(?<![\w+(./-])(?:\([2-9]\d{2}\) ?[2-9]\d{2}[-. ]|[2-9]\d{2}([-. ])[2-9]\d{2}\1)\d{4}(?![\w]|[.,/-]\d)/g,
};

/**
 * National numbers with a trunk 0: `020 7946 0958`, `07700 900123`, `030 12345678`, `01 23 45 67 89`.
 * Separators must be consistent and the digit count a real one (10–11), so dates, times, amounts and
 * order numbers do not match.
 */
const phoneNational: PatternSpec = {
  detector: 'phone',
  kind: 'phone',
  needs: /0/,
  pattern:
    /(?<![\w+.,/-])(?:0[1-9]\d{1,4}([ -])\d{3,8}(?:\1\d{3,4})?|0[1-9]([ .-])\d{2}\2\d{2}\2\d{2}\2\d{2})(?![\w]|[.,/:-]\d)/g,
  accept: phoneDigits(10, 11),
};

const STREET_SUFFIX =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Parkway|Pkwy|Square|Sq|Highway|Hwy|Crescent|Close|Gardens';
const US_STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR';

/** A street line: a house number, one to four capitalised words, a street type (`221B Baker Street`). */
const streetLine: PatternSpec = {
  detector: 'address',
  kind: 'street_address',
  needs: /\d/,
  pattern: new RegExp(
    `(?<![\\w.,-])\\d{1,5}[A-Z]?(?: [A-Z][a-z]{1,20}| \\d{1,3}(?:st|nd|rd|th)){1,4} (?:${STREET_SUFFIX})\\b\\.?(?:,? (?:Apt|Suite|Unit|Flat|Floor|#) ?\\d{1,5}[A-Z]?)?`,
    'g',
  ),
};

/** A UK postcode with its space: `SW1A 1AA`, `M1 1AE`, `EC1V 9HX`. */
const ukPostcode: PatternSpec = {
  detector: 'address',
  kind: 'uk_postcode',
  needs: /\d[A-Z]{2}/,
  pattern: /(?<![A-Za-z0-9])(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?) \d[ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])/g,
};

/** A US city, state and ZIP: `Springfield, IL 62704`, `Austin, TX 78701-1234`. */
const usCityStateZip: PatternSpec = {
  detector: 'address',
  kind: 'us_city_state_zip',
  needs: /\d{5}/,
  pattern: new RegExp(
    `(?<![\\w])[A-Z][a-z]{1,20}(?: [A-Z][a-z]{1,20}){0,2}, (?:${US_STATES}) \\d{5}(?:-\\d{4})?(?![\\w]|-\\d)`,
    'g',
  ),
};

export const contactPatterns: readonly PatternSpec[] = [
  email,
  phoneInternational,
  phoneNanp,
  phoneNational,
  streetLine,
  ukPostcode,
  usCityStateZip,
];
