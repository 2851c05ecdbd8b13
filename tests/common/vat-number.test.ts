// The centre's VAT number on its receipts: a Belgian number is checked by its check digits, so a
// typo in the reference data is refused at import rather than printed on every receipt.
import { describe, expect, it } from 'vitest';
import { isValidBelgianVatNumber, vatNumberSchema } from '../../common/vat-number.js';
import { siteSchema } from '../../common/reference-data.js';
import { demoReferenceData } from '../support/station-fixture.js';

describe('VAT numbers', () => {
  it('accepts a Belgian number whose last two digits are 97 - (first eight mod 97)', () => {
    // 07123401 mod 97 = 12, 97 - 12 = 85.
    expect(isValidBelgianVatNumber('BE0712340185')).toBe(true);
    // A first eight divisible by 97 has 97 as its check.
    expect(isValidBelgianVatNumber(`BE${String(97 * 100_000).padStart(8, '0')}97`)).toBe(true);
  });

  it('refuses a Belgian number with a wrong check, a digit typed twice or left out, or a first digit other than 0 or 1', () => {
    expect(isValidBelgianVatNumber('BE0712340186')).toBe(false);
    expect(isValidBelgianVatNumber('BE0712340815')).toBe(false);
    expect(isValidBelgianVatNumber('BE071234018')).toBe(false);
    expect(isValidBelgianVatNumber('BE07123401855')).toBe(false);
    expect(isValidBelgianVatNumber('BE2712340185')).toBe(false);
  });

  it('stores a number as typed on paper in its compact form, and says what is wrong with a bad one', () => {
    expect(vatNumberSchema.parse('be 0712.340.185')).toBe('BE0712340185');
    const bad = vatNumberSchema.safeParse('BE0712340186');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/check digits/);
    // Another country's number is only checked for its shape.
    expect(vatNumberSchema.parse('FR40303265045')).toBe('FR40303265045');
    expect(vatNumberSchema.safeParse('not a number').success).toBe(false);
  });

  it('is part of the site profile, with the legal name and address; a site without them is still valid', () => {
    const site = demoReferenceData().sites[0]!;
    expect(siteSchema.parse(site)).toMatchObject({ legalName: 'Escale Louise SRL', address: { street: 'Avenue Louise 231', postalCode: '1050', city: 'Ixelles', country: 'BE' }, vatNumber: 'BE0712340185' });
    const { legalName: _n, address: _a, vatNumber: _v, ...bare } = site;
    expect(siteSchema.safeParse(bare).success).toBe(true);
    const typo = siteSchema.safeParse({ ...site, vatNumber: 'BE0712340158' });
    expect(typo.success).toBe(false);
    expect(typo.error?.issues[0]?.path).toEqual(['vatNumber']);
  });
});
