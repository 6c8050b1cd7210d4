import { describe, expect, test } from 'vitest';
import type { Detector } from '../config.js';
import { ibanValid, luhnValid, spanishIdValid } from './checksums.js';
import { cardNumberValid } from './financial.js';
import { ALL_DETECTORS, scanText } from './index.js';
import { ssnValid } from './national-id.js';
import { ipv6Valid } from './network.js';

const PEM = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
  '-----END RSA PRIVATE KEY-----',
].join('\n');
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const b64url = (s: string) => Buffer.from(s).toString('base64url');

/** [detector, text, the part that must be found]. */
const positives: [Detector, string, string][] = [
  ['email', 'write to ada@example.com today', 'ada@example.com'],
  ['email', 'cc: first.last+tag@sub.example.co.uk.', 'first.last+tag@sub.example.co.uk'],
  ['email', '<x_y@corp-mail.io>', 'x_y@corp-mail.io'],
  ['phone', 'call +44 20 7946 0958.', '+44 20 7946 0958'],
  ['phone', 'US: +1 (415) 555-2671', '+1 (415) 555-2671'],
  ['phone', 'mobile +4915112345678', '+4915112345678'],
  ['phone', 'Paris +33 1 23 45 67 89', '+33 1 23 45 67 89'],
  ['phone', 'London +44 (0)20 7946 0958', '+44 (0)20 7946 0958'],
  ['phone', 'office (415) 555-2671', '(415) 555-2671'],
  ['phone', 'cell 415-555-2671', '415-555-2671'],
  ['phone', 'fax 415.555.2671', '415.555.2671'],
  ['phone', 'ring 020 7946 0958 now', '020 7946 0958'],
  ['phone', 'mobile 07700 900123', '07700 900123'],
  ['phone', 'Berlin 030 12345678', '030 12345678'],
  ['phone', 'tél. 01 23 45 67 89', '01 23 45 67 89'],
  ['credit_card', 'visa 4111 1111 1111 1111 exp 12/27', '4111 1111 1111 1111'],
  ['credit_card', 'visa 4012888888881881', '4012888888881881'],
  ['credit_card', 'visa-13 4222222222222', '4222222222222'],
  ['credit_card', 'mc 5555-5555-5555-4444', '5555-5555-5555-4444'],
  ['credit_card', 'mc 5105105105105100', '5105105105105100'],
  ['credit_card', 'mc2 2223003122003222', '2223003122003222'],
  ['credit_card', 'amex 3782 822463 10005', '3782 822463 10005'],
  ['credit_card', 'amex 371449635398431', '371449635398431'],
  ['credit_card', 'discover 6011111111111117', '6011111111111117'],
  ['credit_card', 'jcb 3530111333300000', '3530111333300000'],
  ['credit_card', 'diners 30569309025904', '30569309025904'],
  ['credit_card', 'unionpay 6200000000000005', '6200000000000005'],
  ['iban', 'IBAN DE89 3704 0044 0532 0130 00 please', 'DE89 3704 0044 0532 0130 00'],
  ['iban', 'GB82WEST12345698765432', 'GB82WEST12345698765432'],
  ['iban', 'to FR14 2004 1010 0505 0001 3M02 606.', 'FR14 2004 1010 0505 0001 3M02 606'],
  ['iban', 'NL91ABNA0417164300', 'NL91ABNA0417164300'],
  ['iban', 'ES91 2100 0418 4502 0005 1332', 'ES91 2100 0418 4502 0005 1332'],
  ['iban', 'BE68539007547034', 'BE68539007547034'],
  ['iban', 'CH9300762011623852957', 'CH9300762011623852957'],
  ['iban', 'NO9386011117947', 'NO9386011117947'],
  ['iban', 'PL61109010140000071219812874', 'PL61109010140000071219812874'],
  ['ssn', 'ssn 536-22-1234', '536-22-1234'],
  ['ssn', 'SSN: 536 22 1234', '536 22 1234'],
  ['ssn', 'social security number 536221234', '536221234'],
  ['national_id', 'NINO AB123456C', 'AB123456C'],
  ['national_id', 'NI number JG 10 37 59 A', 'JG 10 37 59 A'],
  ['national_id', 'DNI 12345678Z', '12345678Z'],
  ['national_id', 'NIE X1234567L', 'X1234567L'],
  ['ip_address', 'from 192.168.1.20 at noon', '192.168.1.20'],
  ['ip_address', 'dns 8.8.8.8.', '8.8.8.8'],
  ['ip_address', 'route 10.0.0.0/8', '10.0.0.0/8'],
  ['ip_address', 'v6 2001:db8::8a2e:370:7334', '2001:db8::8a2e:370:7334'],
  ['ip_address', 'full 2001:0db8:85a3:0000:0000:8a2e:0370:7334', '2001:0db8:85a3:0000:0000:8a2e:0370:7334'],
  ['ip_address', 'link fe80::1%eth0', 'fe80::1%eth0'],
  ['ip_address', 'mapped ::ffff:192.0.2.1', '::ffff:192.0.2.1'],
  ['api_key', 'key AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
  [
    'api_key',
    'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  ],
  ['api_key', 'gcp AIzaSyA-1234567890abcdefghijklmnopqrstu', 'AIzaSyA-1234567890abcdefghijklmnopqrstu'],
  ['api_key', `token ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`, `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`],
  ['api_key', 'slack xoxb-123456789012-abcdefghij', 'xoxb-123456789012-abcdefghij'],
  ['api_key', 'stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
  ['api_key', 'OPENAI_API_KEY=sk-proj-abc123DEF456ghi789JKL0', 'sk-proj-abc123DEF456ghi789JKL0'],
  ['api_key', `auth ${JWT}`, JWT],
  ['api_key', `key:\n${PEM}\nend`, PEM],
  ['api_key', 'Authorization: Bearer abcDEF123456789xyz.token', 'abcDEF123456789xyz.token'],
  ['api_key', 'Authorization: Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpwYXNzd29yZA=='],
  [
    'api_key',
    `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${'A'.repeat(40)}${'b9+/'.repeat(11)}xy==;`,
    `${'A'.repeat(40)}${'b9+/'.repeat(11)}xy==`,
  ],
  ['api_key', `secret abc8Q~${'x'.repeat(20)}${'Y1'.repeat(7)}`, `abc8Q~${'x'.repeat(20)}${'Y1'.repeat(7)}`],
  ['address', 'ship to 221B Baker Street, London', '221B Baker Street'],
  ['address', 'at 1600 Pennsylvania Avenue today', '1600 Pennsylvania Avenue'],
  ['address', 'HQ: 350 Fifth Ave, Suite 3300', '350 Fifth Ave, Suite 3300'],
  ['address', 'postcode SW1A 1AA.', 'SW1A 1AA'],
  ['address', 'Springfield, IL 62704', 'Springfield, IL 62704'],
];

const negatives: [Detector, string][] = [
  ['email', 'follow @handle on social media'],
  ['email', 'ssh user@localhost'],
  ['email', 'name at example dot com'],
  ['email', 'the site example.com is up'],
  ['phone', 'due on 2024-05-17 at 10:30'],
  ['phone', 'order 12345678 shipped'],
  ['phone', 'total $1,234,567.89'],
  ['phone', 'release v2.14.3'],
  ['phone', 'number 115-555-1234'],
  ['phone', 'code +12 34'],
  ['phone', 'ref 1234 5678'],
  ['phone', 'on 01.02.2024 10:30 we met'],
  ['phone', 'ISBN 978-3-16-148410-0'],
  ['credit_card', 'visa 4111111111111112'],
  ['credit_card', 'mc 5555555555554445'],
  ['credit_card', 'amex 378282246310006'],
  ['credit_card', 'luhn but no issuer 1234567812345670'],
  ['credit_card', 'all zeros 0000000000000000'],
  ['credit_card', 'too long 41111111111111111111'],
  ['credit_card', 'tracking 1Z999AA10123456784'],
  ['iban', 'DE89370400440532013001'],
  ['iban', 'GB82WEST12345698765433'],
  ['iban', 'NL91ABNA0417164301'],
  ['iban', 'DE8937040044053201300'],
  ['iban', 'XX89370400440532013000'],
  ['ssn', '000-12-3456'],
  ['ssn', '666-12-3456'],
  ['ssn', '900-12-3456'],
  ['ssn', '536-00-1234'],
  ['ssn', '536-22-0000'],
  ['ssn', '078-05-1120'],
  ['ssn', 'ref 536221234'],
  ['ssn', 'date 2024-05-1234'],
  ['national_id', 'BG123456C'],
  ['national_id', 'QQ123456C'],
  ['national_id', 'AB123456E'],
  ['national_id', 'DA123456A'],
  ['national_id', 'DNI 12345678A'],
  ['national_id', 'NIE X1234567A'],
  ['ip_address', '256.1.1.1'],
  ['ip_address', 'version 1.2.3'],
  ['ip_address', 'version 1.2.3.4'],
  ['ip_address', 'build v10.0.0.1'],
  ['ip_address', '01.02.03.04'],
  ['ip_address', 'at 12:30:45 sharp'],
  ['ip_address', 'mac 00:1A:2B:3C:4D:5E'],
  ['ip_address', 'std::vector<int>'],
  ['ip_address', 'the :: operator'],
  ['api_key', 'AKIA1234 is too short'],
  ['api_key', 'we use sk-learn for models'],
  ['api_key', `unsigned ${b64url('{"typ":"JWT"}')}.${b64url('{"sub":"1"}')}.abc`],
  ['api_key', 'the bearer of good news'],
  ['api_key', 'Bearer abcdefghijklmnopqrstuvwxyz'],
  ['api_key', 'Basic plan costs $10'],
  ['api_key', '-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----'],
  ['address', 'upload 3 files to Google Drive'],
  ['address', 'Q3 revenue grew'],
  ['address', 'room 4 on the second floor'],
  ['address', 'ISO 9001 certified'],
];

describe('detectors: positives', () => {
  test.each(positives)('%s finds %j', (detector, text, expected) => {
    const found = scanText(text, [detector]).map((m) => text.slice(m.start, m.end));
    expect(found).toEqual([expected]);
  });
});

describe('detectors: negatives', () => {
  test.each(negatives)('%s finds nothing in %j', (detector, text) => {
    expect(scanText(text, [detector])).toEqual([]);
  });
});

describe('detectors: every detector has positives and negatives', () => {
  test.each(ALL_DETECTORS)('%s', (detector) => {
    expect(positives.filter(([d]) => d === detector).length).toBeGreaterThanOrEqual(3);
    expect(negatives.filter(([d]) => d === detector).length).toBeGreaterThanOrEqual(3);
  });
});

describe('checksums', () => {
  test.each([
    ['4111111111111111', true],
    ['79927398713', true],
    ['79927398710', false],
    ['4111111111111112', false],
    ['', false],
    ['12a4', false],
  ])('luhn %s → %s', (digits, valid) => {
    expect(luhnValid(digits)).toBe(valid);
  });

  test.each([
    ['DE89370400440532013000', true],
    ['GB82WEST12345698765432', true],
    ['GB82WEST12345698765433', false],
    ['GB82WEST1234569876543', false],
    ['de89370400440532013000', false],
  ])('iban %s → %s', (iban, valid) => {
    expect(ibanValid(iban)).toBe(valid);
  });

  test.each([
    ['4111111111111111', true],
    ['1111111111111111', false],
    ['4444444444444448', true],
    ['3782822463100050', false],
  ])('card %s → %s', (digits, valid) => {
    expect(cardNumberValid(digits)).toBe(valid);
  });

  test.each([
    ['12345678Z', true],
    ['12345678-Z', true],
    ['X1234567L', true],
    ['X1234567T', false],
  ])('spanish id %s → %s', (id, valid) => {
    expect(spanishIdValid(id)).toBe(valid);
  });

  test.each([
    ['536221234', true],
    ['666221234', false],
    ['123456789', false],
  ])('ssn %s → %s', (digits, valid) => {
    expect(ssnValid(digits)).toBe(valid);
  });

  test.each([
    ['::1', false],
    ['fe80::1', true],
    ['1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:7', false],
    ['1::2::3', false],
    ['1:2:3:4:5:6:7:8:9', false],
    ['::ffff:192.0.2.1', true],
    ['::ffff:999.0.2.1', false],
  ])('ipv6 %s → %s', (text, valid) => {
    expect(ipv6Valid(text)).toBe(valid);
  });
});

describe('scanText', () => {
  test('reports spans of the original string when zero-width characters split a value', () => {
    const text = 'mail ada\u200B@exam\u200Dple.com now';
    const [match] = scanText(text, ['email']);
    expect(match && text.slice(match.start, match.end)).toBe('ada\u200B@exam\u200Dple.com');
  });

  test('overlapping matches resolve to one, earliest and longest', () => {
    const text = 'pay DE89 3704 0044 0532 0130 00 now';
    expect(scanText(text, ALL_DETECTORS).map((m) => m.detector)).toEqual(['iban']);
  });

  test('finds several kinds in one string, in order', () => {
    const text = 'ada@example.com, 4111 1111 1111 1111, 192.168.1.20';
    expect(scanText(text, ALL_DETECTORS).map((m) => m.kind)).toEqual(['email', 'credit_card', 'ipv4']);
  });
});
