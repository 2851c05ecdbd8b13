// The numbers an invoice names its parties and its payment by, each checked by its check digits:
// a typo in the reference data is refused at import, never sent to a bank or an access point.
import { describe, expect, it } from 'vitest';
import {
  bicSchema,
  compactEnterpriseNumber,
  enterpriseNumberSchema,
  formatStructuredCommunication,
  ibanSchema,
  isValidEnterpriseNumber,
  isValidIban,
  isValidStructuredCommunication,
  peppolIdSchema,
  structuredCommunicationDigits,
} from '../../common/belgian-numbers.js';

const message = (r: { success: boolean; error?: { issues: { message: string }[] } }) => r.error?.issues[0]?.message;

describe('enterprise numbers', () => {
  it('accepts 10 digits whose last two are 97 − (the first eight mod 97)', () => {
    // 01234567 mod 97 = 48, 97 − 48 = 49.
    expect(isValidEnterpriseNumber('0123456749')).toBe(true);
    // 07123401 mod 97 = 12 → 85; 10000000 mod 97 = 76 → 21 (numbers may start with 1).
    expect(isValidEnterpriseNumber('0712340185')).toBe(true);
    expect(isValidEnterpriseNumber('1000000021')).toBe(true);
    // A first eight divisible by 97 has 97 as its check, never 00.
    expect(isValidEnterpriseNumber('0000009797')).toBe(true);
    expect(isValidEnterpriseNumber('0000009700')).toBe(false);
  });

  it('refuses a wrong check, a transposition, a wrong length or a first digit other than 0 or 1', () => {
    expect(isValidEnterpriseNumber('0123456748')).toBe(false);
    expect(isValidEnterpriseNumber('0123456794')).toBe(false);
    expect(isValidEnterpriseNumber('0213456749')).toBe(false);
    expect(isValidEnterpriseNumber('123456749')).toBe(false);
    expect(isValidEnterpriseNumber('01234567490')).toBe(false);
    expect(isValidEnterpriseNumber('2123456749')).toBe(false);
    expect(isValidEnterpriseNumber('01234567AB')).toBe(false);
  });

  it('stores the 10 digits whatever dots, spaces or BE prefix the file wrote', () => {
    expect(compactEnterpriseNumber('0123.456.749')).toBe('0123456749');
    expect(enterpriseNumberSchema.parse('BE 0123 456 749')).toBe('0123456749');
    expect(enterpriseNumberSchema.parse('be0123-456-749')).toBe('0123456749');
    const bad = enterpriseNumberSchema.safeParse('0123.456.748');
    expect(bad.success).toBe(false);
    expect(message(bad)).toMatch(/enterprise number whose check digits are right/);
  });
});

describe('IBANs', () => {
  it('accepts an IBAN whose check digits are right (ISO 13616 mod 97 = 1), Belgian or not', () => {
    expect(isValidIban('BE68539007547034')).toBe(true);
    expect(isValidIban('BE71096123456769')).toBe(true);
    expect(isValidIban('NL91ABNA0417164300')).toBe(true);
    expect(isValidIban('DE89370400440532013000')).toBe(true);
    expect(isValidIban('GB82WEST12345698765432')).toBe(true);
    expect(ibanSchema.parse('be68 5390 0754 7034')).toBe('BE68539007547034');
  });

  it('refuses a wrong digit, swapped digits, a Belgian IBAN of the wrong length and a bad shape', () => {
    expect(isValidIban('BE68539007547035')).toBe(false);
    expect(isValidIban('BE86539007547034')).toBe(false);
    expect(isValidIban('BE68539007574034')).toBe(false);
    expect(isValidIban('BE6853900754703')).toBe(false);
    expect(isValidIban('BE685390075470340')).toBe(false);
    expect(isValidIban('68BE539007547034')).toBe(false);
    expect(isValidIban('BE68-5390-0754-7034')).toBe(false);
    const bad = ibanSchema.safeParse('BE68 5390 0754 7035');
    expect(bad.success).toBe(false);
    expect(message(bad)).toMatch(/IBAN whose check digits are right/);
  });
});

describe('BICs', () => {
  it('accepts 8 or 11 characters: bank, country, location, optional branch', () => {
    expect(bicSchema.parse('GEBABEBB')).toBe('GEBABEBB');
    expect(bicSchema.parse('kred be bb')).toBe('KREDBEBB');
    expect(bicSchema.parse('DEUTDEFF500')).toBe('DEUTDEFF500');
  });

  it('refuses other lengths and digits where letters go', () => {
    for (const bad of ['GEBABEB', 'GEBABEBB1', 'GEBABEBB12', '1EBABEBB', 'GEBA1EBB', 'GEBABEBB-XX', '']) {
      const r = bicSchema.safeParse(bad);
      expect(r.success, bad).toBe(false);
      expect(message(r)).toMatch(/BIC of 8 or 11 characters/);
    }
  });
});

describe('Peppol participant ids', () => {
  it('accepts scheme 0208 and a valid enterprise number', () => {
    expect(peppolIdSchema.parse('0208:0123456749')).toBe('0208:0123456749');
    expect(peppolIdSchema.parse('0208: 0123 456 749')).toBe('0208:0123456749');
  });

  it('refuses another scheme, a wrong check digit, a VAT number in place of the enterprise number, no scheme', () => {
    for (const bad of ['0208:0123456748', '9925:BE0123456749', '0208:BE0123456749', '0123456749', '0208:123456749', '0088:0123456749']) {
      const r = peppolIdSchema.safeParse(bad);
      expect(r.success, bad).toBe(false);
      expect(message(r)).toMatch(/Peppol id as 0208:/);
    }
  });
});

describe('structured communications', () => {
  it('appends the first ten digits mod 97, and 97 when that is 0', () => {
    // 0909337554 mod 97 = 93.
    expect(structuredCommunicationDigits(909_337_554)).toBe('090933755493');
    expect(structuredCommunicationDigits(1)).toBe('000000000101');
    expect(structuredCommunicationDigits(97)).toBe('000000009797');
    expect(structuredCommunicationDigits(0)).toBe('000000000097');
    expect(structuredCommunicationDigits(9_999_999_999)).toBe('999999999948');
  });

  it('refuses what does not fit in ten digits', () => {
    expect(() => structuredCommunicationDigits(10_000_000_000)).toThrow(RangeError);
    expect(() => structuredCommunicationDigits(-1)).toThrow(RangeError);
    expect(() => structuredCommunicationDigits(1.5)).toThrow(RangeError);
  });

  it('prints as +++123/4567/89012+++ and reads back', () => {
    const digits = structuredCommunicationDigits(2_026_000_042);
    expect(formatStructuredCommunication(digits)).toMatch(/^\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+$/);
    expect(formatStructuredCommunication('090933755493')).toBe('+++090/9337/55493+++');
    expect(isValidStructuredCommunication('+++090/9337/55493+++')).toBe(true);
    expect(isValidStructuredCommunication('***090/9337/55493***')).toBe(true);
    expect(isValidStructuredCommunication('090933755493')).toBe(true);
    expect(isValidStructuredCommunication(formatStructuredCommunication(structuredCommunicationDigits(97)))).toBe(true);
  });

  it('refuses a wrong check, a check of 00 for a remainder 0, and the wrong number of digits', () => {
    expect(isValidStructuredCommunication('+++090/9337/55494+++')).toBe(false);
    expect(isValidStructuredCommunication('+++000/0000/09700+++')).toBe(false);
    expect(isValidStructuredCommunication('+++090/9337/5549+++')).toBe(false);
    expect(isValidStructuredCommunication('+++090/9337/554930+++')).toBe(false);
    expect(isValidStructuredCommunication('+++09A/9337/55493+++')).toBe(false);
  });
});
